"""Document analysis: one stage per module, each named for the layer of the document it produces.

    language   Document.language                       which language a text is in (English stages read English only)
    actors     Document.actors, Document.mentions       who is named, resolved to a state and sector
    dates      Document.dates                           the time expressions, resolved against the publication date
    quotes     Document.quotes                          who said what (direct, indirect, mixed)
    opinion    Document.opinions                        which claims are the author's own judgement
    events/    Document.events                          PLOVER 2.0 events (rules propose, a learned model judges)
    rhetoric   Document.rhetoric                        persuasion techniques
    stance     Document.stances                         each actor's stance toward others

The pipeline (communique.pipeline) runs them in order over one spaCy parse.
"""
