package ledger

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// xmlScanner reads the few XML constructs of a worksheet or a shared
// strings part, much faster than encoding/xml: text, start, end and empty
// tags with their attributes, CDATA sections; comments and processing
// instructions are skipped. It does not process DTDs, so it expands no
// custom entities.
type xmlScanner struct {
	r    *bufio.Reader
	text []byte // the text before the last tag, entities not yet decoded
	tag  []byte // the last tag, without < and >
	err  error
}

var errXML = errors.New("ledger: malformed XML")

// maxXMLToken bounds a tag or a text: a cell holds at most 32,767 characters.
const maxXMLToken = 1 << 20

func newXMLScanner(r io.Reader) *xmlScanner {
	return &xmlScanner{r: bufio.NewReaderSize(r, 64<<10)}
}

// readUntil appends to dst the bytes up to delim, which is consumed.
func (s *xmlScanner) readUntil(delim byte, dst []byte) ([]byte, error) {
	for {
		b, err := s.r.ReadSlice(delim)
		if err == nil {
			return append(dst, b[:len(b)-1]...), nil
		}
		dst = append(dst, b...)
		if err != bufio.ErrBufferFull {
			return dst, err
		}
		if len(dst) > maxXMLToken {
			return dst, errXML
		}
	}
}

// next reads the text up to the next tag and the tag. CDATA content is
// returned as text (already escaped) with an empty tag name.
func (s *xmlScanner) next() bool {
	if s.err != nil {
		return false
	}
	if s.text, s.err = s.readUntil('<', s.text[:0]); s.err != nil {
		return false
	}
	if s.tag, s.err = s.readUntil('>', s.tag[:0]); s.err != nil {
		s.err = errXML
		return false
	}
	for {
		switch {
		case bytes.HasPrefix(s.tag, []byte("![CDATA[")) && !bytes.HasSuffix(s.tag, []byte("]]")),
			bytes.HasPrefix(s.tag, []byte("!--")) && !bytes.HasSuffix(s.tag, []byte("--")),
			bytes.Count(s.tag, []byte(`"`))%2 == 1:
			// the '>' was inside; read on
			s.tag = append(s.tag, '>')
			if s.tag, s.err = s.readUntil('>', s.tag); s.err != nil {
				s.err = errXML
				return false
			}
			continue
		}
		break
	}
	if c, ok := bytes.CutPrefix(s.tag, []byte("![CDATA[")); ok {
		s.text = append(s.text, xmlEscape(c[:len(c)-2])...)
		s.tag = s.tag[:0]
	}
	return true
}

// kind tells the last tag: '<' start, '/' end, '.' empty (<c/>), 0 other.
func (s *xmlScanner) kind() byte {
	switch {
	case len(s.tag) == 0 || s.tag[0] == '?' || s.tag[0] == '!':
		return 0
	case s.tag[0] == '/':
		return '/'
	case s.tag[len(s.tag)-1] == '/':
		return '.'
	}
	return '<'
}

// name returns the local name of the last tag (the prefix of x:row dropped).
func (s *xmlScanner) name() []byte {
	t := s.tag
	if len(t) > 0 && t[0] == '/' {
		t = t[1:]
	}
	start := 0
	for i, c := range t {
		switch c {
		case ' ', '\t', '\r', '\n', '/':
			return t[start:i]
		case ':':
			start = i + 1
		}
	}
	return t[start:]
}

func isSpaceByte(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// attr returns the value of the last tag's attribute with local name key.
func (s *xmlScanner) attr(key string) string { return unescape(s.rawAttr(key)) }

// rawAttr is attr without decoding entities, for values that have none:
// cell references, types and numbers. It points into the scanner's buffer.
func (s *xmlScanner) rawAttr(key string) []byte {
	t := s.tag
	i := 0
	for i < len(t) && !isSpaceByte(t[i]) { // the tag's name
		i++
	}
	for i < len(t) {
		for i < len(t) && isSpaceByte(t[i]) {
			i++
		}
		ks := i
		for i < len(t) && t[i] != '=' && !isSpaceByte(t[i]) {
			if t[i] == ':' {
				ks = i + 1
			}
			i++
		}
		k := t[ks:i]
		for i < len(t) && (isSpaceByte(t[i]) || t[i] == '=') {
			i++
		}
		if i >= len(t) || t[i] != '"' && t[i] != '\'' {
			return nil
		}
		q := t[i]
		vs := i + 1
		for i = vs; i < len(t) && t[i] != q; i++ {
		}
		if i >= len(t) {
			return nil
		}
		if string(k) == key {
			return t[vs:i]
		}
		i++
	}
	return nil
}

func xmlEscape(b []byte) []byte {
	if bytes.IndexAny(b, "&<") < 0 {
		return b
	}
	return []byte(strings.NewReplacer("&", "&amp;", "<", "&lt;").Replace(string(b)))
}

// unescape decodes XML character references and predefined entities,
// then the _xHHHH_ escapes of OOXML strings.
func unescape(b []byte) string {
	if bytes.IndexByte(b, '&') < 0 && bytes.Index(b, []byte("_x")) < 0 {
		return string(b)
	}
	var out []byte
	for i := 0; i < len(b); i++ {
		if b[i] != '&' {
			out = append(out, b[i])
			continue
		}
		end := bytes.IndexByte(b[i:], ';')
		if end < 0 {
			out = append(out, b[i])
			continue
		}
		ent := string(b[i+1 : i+end])
		switch {
		case ent == "amp":
			out = append(out, '&')
		case ent == "lt":
			out = append(out, '<')
		case ent == "gt":
			out = append(out, '>')
		case ent == "quot":
			out = append(out, '"')
		case ent == "apos":
			out = append(out, '\'')
		case strings.HasPrefix(ent, "#x"), strings.HasPrefix(ent, "#X"):
			n, err := strconv.ParseUint(ent[2:], 16, 32)
			if err != nil {
				return string(b)
			}
			out = utf8.AppendRune(out, rune(n))
		case strings.HasPrefix(ent, "#"):
			n, err := strconv.ParseUint(ent[1:], 10, 32)
			if err != nil {
				return string(b)
			}
			out = utf8.AppendRune(out, rune(n))
		default:
			out = append(out, b[i:i+end+1]...)
		}
		i += end
	}
	return unescapeX(out)
}

// unescapeX decodes the _xHHHH_ escapes OOXML uses for control characters.
func unescapeX(b []byte) string {
	if bytes.Index(b, []byte("_x")) < 0 {
		return string(b)
	}
	var out []byte
	for i := 0; i < len(b); i++ {
		if b[i] == '_' && i+6 < len(b) && b[i+1] == 'x' && b[i+6] == '_' {
			if n, err := strconv.ParseUint(string(b[i+2:i+6]), 16, 32); err == nil {
				out = utf8.AppendRune(out, rune(n))
				i += 6
				continue
			}
		}
		out = append(out, b[i])
	}
	return string(out)
}
