package i18n

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

func TestCatalogsMatch(t *testing.T) {
	for _, a := range Languages {
		for _, b := range Languages {
			for _, k := range Keys(a) {
				if !Has(b, k) {
					t.Errorf("key %q is in %s but not in %s", k, a, b)
				}
			}
		}
	}
}

// TestTemplateKeysExist fails when a template uses a key that no
// catalog has, which would show the raw key to users.
func TestTemplateKeysExist(t *testing.T) {
	files, _ := filepath.Glob("../httpserver/templates/*.html")
	if len(files) == 0 {
		t.Fatal("no templates found")
	}
	re := regexp.MustCompile(`\.T "([a-z_.]+)"`)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			if !Has("zh", m[1]) {
				t.Errorf("%s uses unknown key %q", filepath.Base(f), m[1])
			}
		}
	}
}

func TestLanguageChoice(t *testing.T) {
	for in, want := range map[string]string{"": "zh", "en": "en", "EN-us": "en", "zh-CN": "zh", "fr": "zh"} {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"": "en", "zh-CN,zh;q=0.9": "zh", "fr, en;q=0.5": "en", "de": "en"} {
		if got := FromAcceptLanguage(in); got != want {
			t.Errorf("FromAcceptLanguage(%q) = %q, want %q", in, got, want)
		}
	}
}
