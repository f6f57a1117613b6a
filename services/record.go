package services

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash/crc32"
	"image"
	_ "image/jpeg" // photos from phones
	"image/png"    // drawn signatures
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"safetynet"
)

// Limits of a recorded service's evidence.
const (
	MaxPhotos       = 4
	MaxPhotoBytes   = 2 << 20   // a phone's photo after the page scaled it down
	MaxSignature    = 512 << 10 // a drawn signature as PNG
	MaxNoteRunes    = 500
	MaxClientID     = 64
	MaxDuration     = 12 * time.Hour  // one visit, not a shift
	FutureTolerance = 5 * time.Minute // a phone's clock may run a little ahead
	MaxAge          = 62 * 24 * time.Hour
)

// Location is where the phone was when the service was recorded, if the
// worker allowed it: micro-degrees and metres.
type Location struct {
	LatE6     int64 `json:"lat_e6"`
	LonE6     int64 `json:"lon_e6"`
	AccuracyM int   `json:"accuracy_m"`
}

// NewRecord is a service done, as the phone sends it; with a DueID the
// household and type may be left out (the plan's are taken). WorkerID 0 means
// the recording user's own worker row; ContractID 0 lets storage find the
// contract of the worker's organisation that covers the household and
// prices the type; DueID 0 closes the oldest open due of the household
// and type that the service falls in.
type NewRecord struct {
	ClientID    string
	ContractID  int64
	DueID       int64
	WorkerID    int64
	HouseholdID int64
	PersonID    int64
	Type        Type
	StartedAt   time.Time
	EndedAt     time.Time
	Location    *Location
	Photos      [][]byte // JPEG or PNG
	Signature   []byte   // PNG drawn on the screen, or nil
	Code        string   // the household's code, or ""
	Note        string
	CampaignID  int64 // the running campaign (专项行动) it was done for, 0 for none
}

// CheckRecord checks what can be checked without the database: the client
// ID, the type, the times against now, the location, the note and the
// evidence (every photo and the signature must decode as an image). It
// returns the record with its note trimmed and the kind of confirmation.
func CheckRecord(in NewRecord, now time.Time) (NewRecord, string, error) {
	in.ClientID = strings.TrimSpace(in.ClientID)
	in.Note = strings.TrimSpace(in.Note)
	in.Code = strings.TrimSpace(in.Code)
	switch {
	case in.ClientID == "" || len(in.ClientID) > MaxClientID:
		return in, "", safetynet.Invalid("client_id", "缺少记录编号（最多64个字符）", "client_id is required (at most 64 characters)")
	case !in.Type.Valid() && (in.Type != "" || in.DueID <= 0):
		return in, "", safetynet.Invalid("service_type", "服务类型无效", "unknown service type")
	case in.HouseholdID <= 0 && in.DueID <= 0:
		return in, "", safetynet.Invalid("household_id", "请选择服务的家庭", "household_id is required")
	case in.StartedAt.IsZero() || in.EndedAt.IsZero():
		return in, "", safetynet.Invalid("started_at", "请填写服务开始和结束时间", "started_at and ended_at are required")
	case in.EndedAt.Before(in.StartedAt):
		return in, "", safetynet.Invalid("ended_at", "结束时间早于开始时间", "ended_at is before started_at")
	case in.EndedAt.After(now.Add(FutureTolerance)):
		return in, "", safetynet.Invalid("ended_at", "不能登记尚未完成的服务（时间在将来）", "the service ends in the future")
	case in.EndedAt.Sub(in.StartedAt) > MaxDuration:
		return in, "", safetynet.Invalid("ended_at", "一次服务不能超过12小时", "one service may not last more than 12 hours")
	case now.Sub(in.StartedAt) > MaxAge:
		return in, "", safetynet.Invalid("started_at", "只能补登两个月内的服务", "services older than two months cannot be recorded")
	case utf8.RuneCountInString(in.Note) > MaxNoteRunes:
		return in, "", safetynet.Invalid("note", "备注最多500字", "the note may have at most 500 characters")
	case len(in.Photos) > MaxPhotos:
		return in, "", safetynet.Invalid("photos", "最多上传4张照片", "at most 4 photos")
	}
	if l := in.Location; l != nil {
		if l.LatE6 < -90e6 || l.LatE6 > 90e6 || l.LonE6 < -180e6 || l.LonE6 > 180e6 || l.AccuracyM < 0 {
			return in, "", safetynet.Invalid("location", "位置无效", "the location is out of range")
		}
	}
	for _, p := range in.Photos {
		if err := CheckImage(p, MaxPhotoBytes, "photos"); err != nil {
			return in, "", err
		}
	}
	kind := ""
	switch {
	case len(in.Signature) > 0:
		if err := CheckImage(in.Signature, MaxSignature, "signature"); err != nil {
			return in, "", err
		}
		if ImageType(in.Signature) != "image/png" {
			return in, "", safetynet.Invalid("signature", "签名应为 PNG 图片", "the signature must be a PNG")
		}
		kind = ConfirmSignature
	case in.Code != "":
		if !ValidCode(in.Code) {
			return in, "", safetynet.Invalid("code", "服务确认码应为6位数字", "the confirmation code has 6 digits")
		}
		kind = ConfirmCode
	default:
		return in, "", safetynet.Invalid("confirmation", "请让服务对象签名或输入家庭的服务确认码", "the recipient must sign or give the household's code")
	}
	return in, kind, nil
}

// ImageType is the type of an image's bytes: image/jpeg, image/png or
// another type.
func ImageType(b []byte) string { return http.DetectContentType(b) }

// CheckImage refuses bytes that are too big or are not a JPEG or PNG that
// decodes completely (a file renamed .jpg is refused, and so is a
// truncated one).
func CheckImage(b []byte, max int, field string) error {
	if len(b) == 0 {
		return safetynet.Invalid(field, "图片为空", "the image is empty")
	}
	if len(b) > max {
		return safetynet.Invalid(field, "图片太大（最大 %d KB）", "the image is too large (at most %d KB)", max>>10)
	}
	if t := ImageType(b); t != "image/jpeg" && t != "image/png" {
		return safetynet.Invalid(field, "只能上传 JPEG 或 PNG 图片", "only JPEG or PNG images are accepted")
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > 40e6 {
		return safetynet.Invalid(field, "图片无法读取", "the image cannot be decoded")
	}
	if !wholeImage(b) {
		return safetynet.Invalid(field, "图片无法读取", "the image cannot be decoded")
	}
	return nil
}

// wholeImage checks an image's structure to its end without decoding its
// pixels (a full decode of a phone photo costs about 20 ms of CPU, which
// 200 workers recording at once cannot afford): a PNG's chunks with their
// CRCs up to IEND, a JPEG's segments up to the scan and its end marker. A
// truncated or spliced file is refused.
func wholeImage(b []byte) bool {
	if bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) {
		for i := 8; i+12 <= len(b); {
			n := int(binary.BigEndian.Uint32(b[i:]))
			if n < 0 || i+12+n > len(b) {
				return false
			}
			typ, data := b[i+4:i+8], b[i+8:i+8+n]
			if crc32.Update(crc32.ChecksumIEEE(typ), crc32.IEEETable, data) != binary.BigEndian.Uint32(b[i+8+n:]) {
				return false
			}
			if string(typ) == "IEND" {
				return true
			}
			i += 12 + n
		}
		return false
	}
	if len(b) < 4 || b[0] != 0xFF || b[1] != 0xD8 {
		return false
	}
	// The segments before the scan; then the scan's data runs to the end
	// marker FF D9 (some cameras append bytes after it: allowed).
	for i := 2; i+4 <= len(b); {
		if b[i] != 0xFF {
			return false
		}
		m := b[i+1]
		if m == 0xFF { // fill byte
			i++
			continue
		}
		n := int(binary.BigEndian.Uint16(b[i+2:]))
		if n < 2 || i+2+n > len(b) {
			return false
		}
		if m == 0xDA { // start of scan
			return bytes.LastIndex(b[i+2+n:], []byte{0xFF, 0xD9}) >= 0
		}
		i += 2 + n
	}
	return false
}

// Hash is the hex SHA-256 of evidence: the same photo used twice has the
// same hash (settlement flags it).
func Hash(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// Month is the settlement month (YYYY-MM) of a service started at t, in
// the local zone loc.
func Month(t time.Time, loc *time.Location) string { return t.In(loc).Format("2006-01") }

// PNG draws a small image (a stand-in signature stroke on white, w×h
// pixels, its stroke moved by seed) as PNG bytes: demo data and tests
// record services with it, and two seeds never give the same hash.
func PNG(w, h int, seed int) []byte {
	img := image.NewGray(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	for x := 0; x < w; x++ {
		y := (h/2 + (x*(seed%7+1))/5 + seed) % h
		img.Pix[y*img.Stride+x] = 0
	}
	img.Pix[0] = byte(seed)
	img.Pix[1] = byte(seed >> 8)
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		panic(err) // encoding to memory does not fail
	}
	return b.Bytes()
}
