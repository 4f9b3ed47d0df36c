-- Demo reference data for a development stack: areas of the estate and
-- destinations a guest can choose.  Idempotent.
INSERT INTO areas (id, code, name) VALUES
	('6a1f0c1e-3b51-4d0a-9a55-0a5c7e3d0001', 'PELABUHAN', 'Pelabuhan'),
	('6a1f0c1e-3b51-4d0a-9a55-0a5c7e3d0002', 'INDUSTRI', 'Kawasan Industri'),
	('6a1f0c1e-3b51-4d0a-9a55-0a5c7e3d0003', 'BUFFER', 'Buffer Zone'),
	('6a1f0c1e-3b51-4d0a-9a55-0a5c7e3d0004', 'PERKANTORAN', 'Perkantoran')
ON CONFLICT (code) DO NOTHING;

INSERT INTO destinations (id, area_id, name, address, is_port_bms) VALUES
	('0b7e2d55-8a3c-4c61-b1f2-5d1e9a7c1001', '6a1f0c1e-3b51-4d0a-9a55-0a5c7e3d0004',
		'Gedung Administrasi KEK', 'Jl. Raya Manyar Km. 11, Gresik', false),
	('0b7e2d55-8a3c-4c61-b1f2-5d1e9a7c1002', '6a1f0c1e-3b51-4d0a-9a55-0a5c7e3d0001',
		'Dermaga Curah Kering BMS', 'Area Pelabuhan, Dermaga 2', true),
	('0b7e2d55-8a3c-4c61-b1f2-5d1e9a7c1003', '6a1f0c1e-3b51-4d0a-9a55-0a5c7e3d0001',
		'Container Yard BMS', 'Area Pelabuhan, Blok C', true),
	('0b7e2d55-8a3c-4c61-b1f2-5d1e9a7c1004', '6a1f0c1e-3b51-4d0a-9a55-0a5c7e3d0002',
		'Gudang PT Sinar Logam Nusantara', 'Blok A-07, Kawasan Industri', false),
	('0b7e2d55-8a3c-4c61-b1f2-5d1e9a7c1005', '6a1f0c1e-3b51-4d0a-9a55-0a5c7e3d0002',
		'Pabrik PT Samudra Pangan Lestari', 'Blok D-12, Kawasan Industri', false)
ON CONFLICT (id) DO NOTHING;
