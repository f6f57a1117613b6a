-- A photo the village may send with its report of what it did (整改照片):
-- replaced by the next report when the item is sent back.
ALTER TABLE rectifications ADD COLUMN report_photo BLOB;
