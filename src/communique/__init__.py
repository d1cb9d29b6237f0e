"""communique: evidence-linked geopolitical intelligence from news and opinion articles.

>>> import communique
>>> analysis = communique.analyze(text, published="2022-10-13")   # the JSON contract, as a dict
"""

from communique.document import Document, to_contract
from communique.errors import CommuniqueError, FetchError, InputError, KnowledgeBaseError, StoreError
from communique.pipeline import Analyzer, analyze

__all__ = [
    "Analyzer",
    "CommuniqueError",
    "Document",
    "FetchError",
    "InputError",
    "KnowledgeBaseError",
    "StoreError",
    "analyze",
    "to_contract",
]
__version__ = "0.1.0"
