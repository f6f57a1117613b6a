package i18n

import (
	"regexp"
	"testing"
)

// TestNoMixedLanguages: English texts hold no Chinese characters or
// Chinese punctuation, Chinese texts no English words (file formats and
// the like aside), so that neither language leaks into the other's pages.
func TestNoMixedLanguages(t *testing.T) {
	han := regexp.MustCompile(`[\p{Han}\x{3000}-\x{303f}\x{ff00}-\x{ffef}]`)
	latin := regexp.MustCompile(`[A-Za-z]{2,}`)
	allowed := map[string]bool{"API": true, "ID": true, "PDF": true, "Excel": true, "xlsx": true, "CSV": true, "csv": true,
		"UTF": true, "GBK": true, "SMS": true}
	for key, text := range catalog["en"] {
		if han.MatchString(text) {
			t.Errorf("en %s = %q holds Chinese", key, text)
		}
	}
	for key, text := range catalog["zh"] {
		for _, w := range latin.FindAllString(text, -1) {
			if !allowed[w] {
				t.Errorf("zh %s = %q holds the English word %q", key, text, w)
			}
		}
	}
}
