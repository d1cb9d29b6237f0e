-- communique corpus store, schema version 2: reading by actor.
-- The Actor page, the events list filtered by a party and the stance of each outlet toward a party look rows up
-- by party or code. Without these indexes every such read scanned the whole table: on the 3,811-article corpus
-- the Actor page of a frequent party took about half a second. Stance rows also carry their actor's party
-- (filled in here for stores made before), so stance toward a party needs no join through actors.

CREATE INDEX actors_code ON actors (code, document_id);
CREATE INDEX event_participants_party ON event_participants (party, event_id);
CREATE INDEX event_participants_code ON event_participants (code, event_id);
ALTER TABLE stance ADD COLUMN party TEXT;
UPDATE stance SET party = (
    SELECT a.party FROM actors a WHERE a.document_id = stance.document_id AND a.actor_id = stance.actor_id
);
CREATE INDEX stance_party ON stance (party, document_id);
