-- A partner (outsourced) team's members see only their teams' work.
ALTER TABLE teams ADD COLUMN partner INTEGER NOT NULL DEFAULT 0;
