"""The event coder's training side: the annotated corpus the project owns, and the command that learns from it.

sample.py       which corpus sentences go to annotators (stratified by outlet, year and kind of sentence)
annotations.py  the label format: corpus ID plus character offsets, resolved against ../shared at run time
agreement.py    how far two independent labellings of the same sentences agree
distill.py      `communique train vectors`: static word vectors distilled from all-MiniLM-L6-v2
train.py        `communique train events`: fit, calibrate, write the shipped weights with their hash

What the learned coder sees of a sentence and of an event is in ``event_model.py`` (used at run time too).
"""
