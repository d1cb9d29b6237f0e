"""The knowledge base of states, organisations and office holders (knowledge), its importers (factbook, reign) and
the UN General Assembly ideal points (unga)."""
