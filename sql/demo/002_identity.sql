-- Demo tenant companies for a development stack.  Idempotent.
INSERT INTO companies (id, name, npwp, address) VALUES
	('5c0d6f3e-1a2b-4c3d-8e9f-0a1b2c3d4e01', 'PT Sinar Logam Nusantara',
		'01.234.567.8-612.000', 'Blok A-07, Kawasan Industri'),
	('5c0d6f3e-1a2b-4c3d-8e9f-0a1b2c3d4e02', 'PT Samudra Pangan Lestari',
		'02.345.678.9-612.000', 'Blok D-12, Kawasan Industri')
ON CONFLICT (id) DO NOTHING;
UPDATE destinations SET company_id = '5c0d6f3e-1a2b-4c3d-8e9f-0a1b2c3d4e01'
	WHERE id = '0b7e2d55-8a3c-4c61-b1f2-5d1e9a7c1004' AND company_id IS NULL;
UPDATE destinations SET company_id = '5c0d6f3e-1a2b-4c3d-8e9f-0a1b2c3d4e02'
	WHERE id = '0b7e2d55-8a3c-4c61-b1f2-5d1e9a7c1005' AND company_id IS NULL;
