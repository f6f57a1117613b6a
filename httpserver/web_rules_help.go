package httpserver

import (
	"html/template"
	"net/http"
	"regexp"
	"strings"

	"safetynet/access"
	"safetynet/rules"
)

// rulesHelpPage is the rules help (规则说明): the schema rules may
// reference, the functions they may use, and a box to try a rule.
type rulesHelpPage struct {
	Schema  rules.SchemaDoc
	Event   []rules.Field // the event e of warning rules
	Source  string
	Checked bool
	Issues  []string
}

// webRulesHelp shows the schema and functions of the env, in the
// viewer's language. With ?source=… it also type-checks that rule, so
// the check works without script; rules.js checks as one types.
func (s *Server) webRulesHelp(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if err := rc.actor.Require(access.RulesView); err != nil {
		return err
	}
	env, err := s.rulesEnv(r.Context())
	if err != nil {
		return err
	}
	pg := rulesHelpPage{Schema: env.Schema(), Event: rules.EventFieldsDoc()}
	if q := r.URL.Query(); q.Has("source") {
		pg.Source, pg.Checked = q.Get("source"), true
		pg.Issues = ruleIssues(env, pg.Source, rc.lang)
	}
	return s.render(w, r, rc, http.StatusOK, "rules_help", "rules.help.title", pg, nil)
}

// ruleIssues type-checks src and returns its problems as the user reads
// them ("第1行第3列：…"); none when it compiles.
func ruleIssues(env *rules.Env, src, lang string) []string {
	_, err := env.Check(src)
	if err == nil {
		return nil
	}
	ce, ok := err.(*rules.CompileError)
	if !ok {
		return []string{err.Error()}
	}
	out := make([]string, 0, len(ce.Issues))
	for _, is := range ce.Issues {
		out = append(out, issueText(is, lang))
	}
	return out
}

// codeRun finds the pieces of rule syntax in a help text: names with dots
// and calls (h.has("…"), startsWith, double(x)).
var codeRun = regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*(\([^)]*\))?|[\p{Han}\x{3000}-\x{303f}\x{ff00}-\x{ffef}]+`)

// Code escapes a help text and sets its pieces of rule syntax as code,
// so that a Chinese sentence naming startsWith reads as one language.
func (p *page) Code(text string) template.HTML {
	var b strings.Builder
	last := 0
	for _, m := range codeRun.FindAllStringIndex(text, -1) {
		run := text[m[0]:m[1]]
		if han := run[0] >= 0x80; han {
			if p.Lang == "en" { // vocabulary values are Chinese in both languages
				b.WriteString(template.HTMLEscapeString(text[last:m[0]]))
				b.WriteString(`<span lang="zh">` + template.HTMLEscapeString(run) + "</span>")
				last = m[1]
			}
			continue
		}
		if p.Lang == "en" && !strings.ContainsAny(run, "._(") {
			continue // plain English words stay text
		}
		b.WriteString(template.HTMLEscapeString(text[last:m[0]]))
		b.WriteString("<code>" + template.HTMLEscapeString(text[m[0]:m[1]]) + "</code>")
		last = m[1]
	}
	b.WriteString(template.HTMLEscapeString(text[last:]))
	return template.HTML(b.String()) //nolint:gosec // every piece is escaped above
}
