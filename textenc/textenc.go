// Package textenc turns uploaded text files into UTF-8. Excel on Chinese
// Windows saves CSV as GBK (GB18030), so a file that is not valid UTF-8
// is decoded as GB18030; a UTF-8 byte-order mark is dropped.
package textenc

import (
	"bytes"
	"fmt"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// ToUTF8 reads all of r (at most limit bytes) and returns it as UTF-8.
func ToUTF8(r io.Reader, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("textenc: read: %w", err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("textenc: file larger than %d bytes", limit)
	}
	b = bytes.TrimPrefix(b, []byte("\ufeff"))
	if utf8.Valid(b) {
		return b, nil
	}
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(b)
	if err != nil {
		return nil, fmt.Errorf("textenc: neither UTF-8 nor GB18030: %w", err)
	}
	return out, nil
}
