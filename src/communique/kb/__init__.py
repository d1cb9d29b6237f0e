"""The knowledge base of states, organisations, groups and office holders: its entries (model), how its files are
read and merged (load), the index of names (index) and the questions asked of it (knowledge); its importers
(factbook, reign) and the UN General Assembly ideal points (unga)."""
