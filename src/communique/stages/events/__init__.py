"""PLOVER 2.0 event coding: the rules that find candidates and participants (coder) and the learned model that
decides type and confidence (model)."""
