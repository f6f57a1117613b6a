package feeds

import (
	"crypto/sha256"
	"encoding/hex"
	"unicode/utf8"

	"safetynet/ledger"
)

// File is a department's spreadsheet (.xlsx or .csv) read for a batch.
type File struct {
	Name    string
	SHA256  string // of the file's bytes
	Header  []string
	Numbers []int      // each data row's row number in the sheet
	Cells   [][]string // each data row's cells
	Mapping Mapping    // proposed: the saved mapping, then the usual headers
}

// ReadFile reads a department's file with the ledger's readers, the
// header being the first row with two headers KnownHeader recognises.
func ReadFile(name string, data []byte, saved Mapping) (*File, error) {
	sheet, err := ledger.ReadWith(name, data, KnownHeader)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	f := &File{Name: name, SHA256: hex.EncodeToString(sum[:]), Header: sheet.Header, Mapping: Detect(sheet.Header, saved)}
	for _, r := range sheet.Rows {
		f.Numbers = append(f.Numbers, r.Number)
		f.Cells = append(f.Cells, r.Cells)
	}
	return f, nil
}

// BatchKey is the file's batch key: its name and content hash, so that
// the same file uploaded again changes nothing.
func (f *File) BatchKey() string {
	name := f.Name
	for utf8.RuneCountInString(name) > 80 {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	return name + "#" + f.SHA256[:24]
}

// Rows turns the file's rows into batch rows with mapping m.
func (f *File) Rows(m Mapping) []Row { return m.Rows(f.Header, f.Numbers, f.Cells) }

// Sample returns the first n values of column col, for the mapping form.
func (f *File) Sample(col, n int) []string {
	var out []string
	for _, c := range f.Cells {
		if len(out) == n {
			break
		}
		if col < len(c) && c[col] != "" {
			out = append(out, c[col])
		}
	}
	return out
}
