package httpserver

import (
	"fmt"
	"html/template"
	"strings"

	goqr "github.com/piglig/go-qr"
)

// qrSVG draws text as a QR code in SVG markup (one path of dark modules,
// four modules of quiet zone), for the printed card of a pact's link.
// It returns "" if the text does not fit a QR code.
func qrSVG(text string) template.HTML {
	q, err := goqr.EncodeText(text, goqr.Medium)
	if err != nil {
		return ""
	}
	n, border := q.Size(), 4
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" class="qr" role="img" shape-rendering="crispEdges">`,
		n+2*border, n+2*border)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="#fff"/><path fill="#000" d="`)
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			if q.Module(x, y) {
				fmt.Fprintf(&b, "M%d %dh1v1h-1z", x+border, y+border)
			}
		}
	}
	b.WriteString(`"/></svg>`)
	return template.HTML(b.String()) // built here from numbers only
}
