-- French and German beside Dutch and English for what owners write: topic
-- names, canned answers and the gift catalogue. Empty = not written yet; a
-- reader of that language gets the location's default language instead.
ALTER TABLE categories ADD COLUMN name_fr TEXT NOT NULL DEFAULT '';
ALTER TABLE categories ADD COLUMN name_de TEXT NOT NULL DEFAULT '';
ALTER TABLE canned_responses ADD COLUMN body_fr TEXT NOT NULL DEFAULT '';
ALTER TABLE canned_responses ADD COLUMN body_de TEXT NOT NULL DEFAULT '';
ALTER TABLE gift_catalogue ADD COLUMN title_fr TEXT NOT NULL DEFAULT '';
ALTER TABLE gift_catalogue ADD COLUMN title_de TEXT NOT NULL DEFAULT '';
ALTER TABLE gift_catalogue ADD COLUMN description_fr TEXT NOT NULL DEFAULT '';
ALTER TABLE gift_catalogue ADD COLUMN description_de TEXT NOT NULL DEFAULT '';
ALTER TABLE gift_catalogue ADD COLUMN redeem_fr TEXT NOT NULL DEFAULT '';
ALTER TABLE gift_catalogue ADD COLUMN redeem_de TEXT NOT NULL DEFAULT '';

-- The topics every installation starts with, where the owner left them as
-- they came, get their French and German names.
UPDATE categories SET name_fr = 'Service', name_de = 'Bedienung'
    WHERE slug = 'service' AND name_nl = 'Bediening' AND name_en = 'Service';
UPDATE categories SET name_fr = 'Produit', name_de = 'Produkt'
    WHERE slug = 'product' AND name_nl = 'Product' AND name_en = 'Product';
UPDATE categories SET name_fr = 'Temps d''attente', name_de = 'Wartezeit'
    WHERE slug = 'waiting' AND name_nl = 'Wachttijd' AND name_en = 'Waiting time';
UPDATE categories SET name_fr = 'Propreté', name_de = 'Sauberkeit'
    WHERE slug = 'cleanliness' AND name_nl = 'Netheid' AND name_en = 'Cleanliness';
UPDATE categories SET name_fr = 'Prix', name_de = 'Preis'
    WHERE slug = 'price' AND name_nl = 'Prijs' AND name_en = 'Price';
UPDATE categories SET name_fr = 'Autre chose', name_de = 'Etwas anderes'
    WHERE slug = 'other' AND name_nl = 'Iets anders' AND name_en = 'Something else';
