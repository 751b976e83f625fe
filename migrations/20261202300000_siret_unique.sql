-- Two organisations never share a SIRET. The services check it first and name the other
-- organisation; these triggers are the database's backstop. Triggers rather than a unique
-- index: a database holding such a pair from before this rule still starts, and the pair
-- stays editable as long as its SIRET is not set again.
CREATE TRIGGER organisations_siret_insert BEFORE INSERT ON organisations
WHEN NEW.siret IS NOT NULL
 AND EXISTS (SELECT 1 FROM organisations WHERE siret = NEW.siret)
BEGIN
    SELECT RAISE(ABORT, 'organisations.siret already used');
END;

CREATE TRIGGER organisations_siret_update BEFORE UPDATE OF siret ON organisations
WHEN NEW.siret IS NOT NULL
 AND NEW.siret IS NOT OLD.siret
 AND EXISTS (SELECT 1 FROM organisations WHERE siret = NEW.siret AND id <> NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'organisations.siret already used');
END;
