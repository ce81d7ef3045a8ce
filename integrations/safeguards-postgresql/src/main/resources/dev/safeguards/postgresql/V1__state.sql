-- Safeguards schema version 1: the safeguard state every replica shares.
-- ${schema} is the schema the application chose (PostgresSchema.migrate); times are timestamptz (microseconds).

-- Emergency (break-glass) grants, kept until forget_after (a day after the grant ends) for review.
CREATE TABLE ${schema}.emergency_grant (
  id             text        PRIMARY KEY,
  user_id        uuid        NOT NULL,
  resource_type  text        NOT NULL,
  resource_id    text,
  permissions    text[]      NOT NULL,
  purpose_of_use text        NOT NULL,
  opened_at      timestamptz NOT NULL,
  expires_at     timestamptz NOT NULL,
  revoked_at     timestamptz,
  forget_after   timestamptz NOT NULL
);
CREATE INDEX emergency_grant_user ON ${schema}.emergency_grant (user_id);
CREATE INDEX emergency_grant_forget ON ${schema}.emergency_grant (forget_after);

-- Refresh tokens by the SHA-256 of the token (never the token), until their family ends.
CREATE TABLE ${schema}.refresh_token (
  token_hash       text        PRIMARY KEY,
  family_id        text        NOT NULL,
  user_id          uuid        NOT NULL,
  roles            text[]      NOT NULL,
  scopes           text[]      NOT NULL,
  amr              text[]      NOT NULL,
  authenticated_at timestamptz NOT NULL,
  session_id       text        NOT NULL,
  client_id        text,
  expires_at       timestamptz NOT NULL,
  used             boolean     NOT NULL DEFAULT false
);
CREATE INDEX refresh_token_expires ON ${schema}.refresh_token (expires_at);

-- Revoked refresh-token families, remembered for the longest a family may last.
CREATE TABLE ${schema}.refresh_family_revoked (
  family_id    text        PRIMARY KEY,
  forget_after timestamptz NOT NULL
);
CREATE INDEX refresh_family_revoked_forget ON ${schema}.refresh_family_revoked (forget_after);
