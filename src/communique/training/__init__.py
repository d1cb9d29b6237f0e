"""The event coder's training side: the annotated corpus the project owns, and the command that learns from it.

sample.py       which corpus sentences go to annotators (stratified by outlet, year and kind of sentence)
annotations.py  the label format: corpus ID plus character offsets, resolved against ../shared at run time
features.py     what the learned coder sees of a sentence and of a candidate event
train.py        `communique train events`: fit, calibrate, write the shipped weights with their hash
"""
