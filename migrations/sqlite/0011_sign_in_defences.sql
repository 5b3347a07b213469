-- Sign-in defences (SEC-11): consecutive failed passwords per local identity, and until when
-- the identity refuses passwords (a short throttle at first, then a lockout).
ALTER TABLE identities ADD COLUMN failed_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE identities ADD COLUMN locked_until_us INTEGER;
