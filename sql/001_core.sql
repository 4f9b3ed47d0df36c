-- 001_core.sql - identity, reference data, tickets and the activity log.
-- Times are timestamptz (stored UTC); plain days are date.

CREATE TABLE roles (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	code text NOT NULL UNIQUE,
	name text NOT NULL,
	-- super_admin > admin > operational (estate); tenant_admin > tenant_operational (company)
	level text NOT NULL CHECK (level IN ('super_admin', 'admin', 'operational',
		'tenant_admin', 'tenant_operational')),
	is_system boolean NOT NULL DEFAULT false,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	deleted_at timestamptz
);

CREATE TABLE permissions (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	code text NOT NULL UNIQUE,          -- module.action
	module text NOT NULL,
	action text NOT NULL,
	name text NOT NULL                  -- Indonesian label
);

CREATE TABLE role_permissions (
	role_id uuid NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
	permission_id uuid NOT NULL REFERENCES permissions(id) ON DELETE CASCADE,
	PRIMARY KEY (role_id, permission_id)
);

CREATE TABLE companies (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	name text NOT NULL,
	npwp text,
	address text,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	deleted_at timestamptz
);

CREATE TABLE users (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	email text NOT NULL,
	name text NOT NULL,
	phone text,
	password_hash text NOT NULL,
	role_id uuid NOT NULL REFERENCES roles(id),
	company_id uuid REFERENCES companies(id),
	is_active boolean NOT NULL DEFAULT true,
	email_verified_at timestamptz,
	failed_logins integer NOT NULL DEFAULT 0,
	locked_until timestamptz,
	last_login_at timestamptz,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	deleted_at timestamptz
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email)) WHERE deleted_at IS NULL;

-- Bearer tokens and browser sessions.  Only a SHA-256 of the secret is kept.
CREATE TABLE auth_tokens (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	kind text NOT NULL CHECK (kind IN ('access', 'refresh', 'session')),
	token_hash text NOT NULL UNIQUE,
	parent_id uuid REFERENCES auth_tokens(id) ON DELETE CASCADE,
	expires_at timestamptz NOT NULL,
	idle_minutes integer,              -- sessions: sliding expiry
	last_seen_at timestamptz NOT NULL DEFAULT now(),
	revoked_at timestamptz,
	device_name text,
	ip text,
	user_agent text,
	created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX auth_tokens_user_idx ON auth_tokens (user_id) WHERE revoked_at IS NULL;

CREATE TABLE areas (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	code text NOT NULL UNIQUE,
	name text NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE destinations (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	area_id uuid NOT NULL REFERENCES areas(id),
	company_id uuid REFERENCES companies(id),
	name text NOT NULL,
	address text,
	is_port_bms boolean NOT NULL DEFAULT false,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	deleted_at timestamptz
);

CREATE TABLE tickets (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	type text NOT NULL CHECK (type IN ('guest', 'tenant', 'tenant_customs', 'sarana_niaga')),
	status text NOT NULL CHECK (status IN ('pending', 'active', 'approve', 'reject',
		'cancel', 'in_area', 'done')),
	source text NOT NULL,
	user_id uuid REFERENCES users(id),
	company_id uuid REFERENCES companies(id),
	access_number text NOT NULL UNIQUE CHECK (access_number ~ '^TKT-[0-9]{8}$'),
	qr_path text,
	request_at date NOT NULL,
	expired_at timestamptz NOT NULL,
	destination_id uuid REFERENCES destinations(id),
	purpose text,
	police_number text,
	guest_name text,
	guest_identity_number text,
	guest_phone text,
	guest_email text,
	guest_origin text,
	identity_photo_path text,
	reject_reason text,
	cancel_reason text,
	approved_at timestamptz,
	approved_by uuid REFERENCES users(id),
	rejected_at timestamptz,
	rejected_by uuid REFERENCES users(id),
	cancelled_at timestamptz,
	cancelled_by uuid REFERENCES users(id),
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tickets_status_idx ON tickets (type, status, request_at);
CREATE INDEX tickets_created_idx ON tickets (created_at DESC);

CREATE TABLE activity_logs (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	user_id uuid REFERENCES users(id) ON DELETE SET NULL,
	role text,
	module text NOT NULL,
	action text NOT NULL,
	record_id text,
	ip text,
	request_id text,
	before jsonb,
	after jsonb,
	created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX activity_logs_created_idx ON activity_logs (created_at DESC);
CREATE INDEX activity_logs_record_idx ON activity_logs (module, record_id);

-- System roles and the permissions of this release.
INSERT INTO roles (code, name, level, is_system) VALUES
	('super_admin', 'Super Admin', 'super_admin', true),
	('admin', 'Admin', 'admin', true),
	('operational', 'Operasional', 'operational', true),
	('tenant_admin', 'Admin Tenant', 'tenant_admin', true),
	('tenant_operational', 'Operasional Tenant', 'tenant_operational', true);

INSERT INTO permissions (code, module, action, name) VALUES
	('ticket.read', 'ticket', 'read', 'Melihat tiket'),
	('ticket.update', 'ticket', 'update', 'Mengubah tiket'),
	('ticket.cancel', 'ticket', 'cancel', 'Membatalkan tiket'),
	('ticket.approve', 'ticket', 'approve', 'Menyetujui dan menolak tiket'),
	('destination.read', 'destination', 'read', 'Melihat lokasi tujuan'),
	('file.read', 'file', 'read', 'Melihat berkas');

-- Super admin and admin hold every permission; operational staff read.
INSERT INTO role_permissions (role_id, permission_id)
	SELECT r.id, p.id FROM roles r CROSS JOIN permissions p
	WHERE r.code IN ('super_admin', 'admin');
INSERT INTO role_permissions (role_id, permission_id)
	SELECT r.id, p.id FROM roles r JOIN permissions p
		ON p.code IN ('ticket.read', 'destination.read', 'file.read')
	WHERE r.code IN ('operational', 'tenant_admin', 'tenant_operational');
