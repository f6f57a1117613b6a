// Package i18n holds the words of the user interface in Chinese (the
// default) and English. Keys are English phrases in dotted namespaces;
// every key must exist in both languages (checked by the tests).
package i18n

import "strings"

// Languages the UI speaks; the first is the default.
var Languages = []string{"zh", "en"}

// Default is the language used when none is chosen.
const Default = "zh"

// Normalize returns a supported language code for s ("zh-CN" → "zh").
func Normalize(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, l := range Languages {
		if s == l || strings.HasPrefix(s, l+"-") || strings.HasPrefix(s, l+"_") {
			return l
		}
	}
	return Default
}

// FromAcceptLanguage picks a language from an Accept-Language header,
// defaulting to English for API clients that state no preference.
func FromAcceptLanguage(h string) string {
	for _, part := range strings.Split(h, ",") {
		tag, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		tag = strings.ToLower(tag)
		for _, l := range Languages {
			if tag == l || strings.HasPrefix(tag, l+"-") {
				return l
			}
		}
	}
	return "en"
}

// T returns the text of key in lang, the key itself if it is unknown.
func T(lang, key string) string {
	if m, ok := catalog[lang]; ok {
		if v, ok := m[key]; ok {
			return v
		}
	}
	return key
}

// Has reports whether key exists in lang.
func Has(lang, key string) bool { _, ok := catalog[lang][key]; return ok }

// Keys returns every key of lang.
func Keys(lang string) []string {
	out := make([]string, 0, len(catalog[lang]))
	for k := range catalog[lang] {
		out = append(out, k)
	}
	return out
}

var catalog = map[string]map[string]string{"zh": zh, "en": en}
