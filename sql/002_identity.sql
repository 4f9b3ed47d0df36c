-- 002_identity.sql - identity and access: the permission catalogue, role
-- assignments, single-use e-mailed tokens, the mail outbox and sign-in
-- throttling.

ALTER TABLE roles ADD COLUMN description text;
ALTER TABLE roles ADD COLUMN company_id uuid REFERENCES companies(id);

ALTER TABLE users ADD COLUMN created_by uuid REFERENCES users(id);
ALTER TABLE users ADD COLUMN password_changed_at timestamptz;
CREATE INDEX users_company_idx ON users (company_id) WHERE deleted_at IS NULL;

-- The catalogue: module.action codes, grouped by module in the API.
INSERT INTO permissions (code, module, action, name) VALUES
	('role.read', 'role', 'read', 'Melihat peran'),
	('role.create', 'role', 'create', 'Membuat peran'),
	('role.update', 'role', 'update', 'Mengubah peran dan hak aksesnya'),
	('role.delete', 'role', 'delete', 'Menghapus peran'),
	('permission.read', 'permission', 'read', 'Melihat daftar hak akses'),
	('user.read', 'user', 'read', 'Melihat pengguna'),
	('user.create', 'user', 'create', 'Membuat pengguna'),
	('user.update', 'user', 'update', 'Mengubah pengguna'),
	('user.delete', 'user', 'delete', 'Menghapus pengguna'),
	('tenant_user.read', 'tenant_user', 'read', 'Melihat pengguna tenant'),
	('tenant_user.create', 'tenant_user', 'create', 'Membuat pengguna tenant'),
	('tenant_user.update', 'tenant_user', 'update', 'Mengubah pengguna tenant'),
	('tenant_user.delete', 'tenant_user', 'delete', 'Menghapus pengguna tenant'),
	('activity_log.read', 'activity_log', 'read', 'Melihat log aktivitas')
ON CONFLICT (code) DO NOTHING;

-- Super admin: everything.  Admin: everything but changing roles.
INSERT INTO role_permissions (role_id, permission_id)
	SELECT r.id, p.id FROM roles r CROSS JOIN permissions p
	WHERE r.code = 'super_admin'
	   OR (r.code = 'admin' AND p.code NOT IN ('role.create', 'role.update', 'role.delete'))
ON CONFLICT DO NOTHING;
-- Tenant admins manage the operational users of their own company.
INSERT INTO role_permissions (role_id, permission_id)
	SELECT r.id, p.id FROM roles r JOIN permissions p
		ON p.code IN ('tenant_user.read', 'tenant_user.create',
			'tenant_user.update', 'tenant_user.delete')
	WHERE r.code = 'tenant_admin'
ON CONFLICT DO NOTHING;

-- Single-use tokens sent by e-mail: forgot password, e-mail verification,
-- change password by link, change of e-mail address.  Only a hash is kept.
CREATE TABLE user_tokens (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	purpose text NOT NULL CHECK (purpose IN ('reset_password', 'verify_email',
		'change_password', 'change_email')),
	token_hash text NOT NULL UNIQUE,
	new_email text,
	expires_at timestamptz NOT NULL,
	used_at timestamptz,
	created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX user_tokens_user_idx ON user_tokens (user_id, purpose) WHERE used_at IS NULL;

-- Mail waits here until the sender has delivered it; failures are retried.
CREATE TABLE mail_outbox (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	to_address text NOT NULL,
	subject text NOT NULL,
	body text NOT NULL,
	status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
	attempts integer NOT NULL DEFAULT 0,
	next_attempt_at timestamptz NOT NULL DEFAULT now(),
	last_error text,
	created_at timestamptz NOT NULL DEFAULT now(),
	sent_at timestamptz
);
CREATE INDEX mail_outbox_due_idx ON mail_outbox (next_attempt_at) WHERE status = 'pending';

-- Failed sign-ins per account and per address, in a sliding window.
CREATE TABLE auth_throttle (
	key text PRIMARY KEY,              -- 'email:<lower email>' or 'ip:<address>'
	failures integer NOT NULL DEFAULT 0,
	window_start timestamptz NOT NULL DEFAULT now(),
	blocked_until timestamptz
);
