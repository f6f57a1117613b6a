package httpserver

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"safetynet"
	"safetynet/access"
	"safetynet/rules"
)

// ruleEnvs keeps the rules environment built from the measure catalogue:
// compiling a rule needs the measures' names (h.has("低保")), and the
// catalogue changes rarely, so the env is rebuilt only when it does.
type ruleEnvs struct {
	mu  sync.Mutex
	key string
	env *rules.Env
}

// rulesEnv returns the rules environment of the current catalogue.
func (s *Server) rulesEnv(ctx context.Context) (*rules.Env, error) {
	ms, err := s.store.Measures(ctx, true)
	if err != nil {
		return nil, err
	}
	var key strings.Builder
	names := make([]rules.Name, 0, len(ms))
	for _, m := range ms {
		names = append(names, rules.Name{Code: m.Code, ZH: m.ZH, EN: m.EN})
		key.WriteString(m.Code + "\x00" + m.ZH + "\x00" + m.EN + "\x00")
	}
	s.envs.mu.Lock()
	defer s.envs.mu.Unlock()
	if s.envs.env != nil && s.envs.key == key.String() {
		return s.envs.env, nil
	}
	env, err := rules.NewEnv(rules.Config{Measures: names})
	if err != nil {
		return nil, err
	}
	s.envs.key, s.envs.env = key.String(), env
	return env, nil
}

// ruleIssueJSON is one problem of a rule's text at a 1-based line and
// column (counted in characters).
type ruleIssueJSON struct {
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
}

// ruleCheckJSON is the answer to a rule that compiles.
type ruleCheckJSON struct {
	OK            bool   `json:"ok"`
	EstimatedCost uint64 `json:"estimated_cost"`
}

// issueText is an issue as the user reads it: "第2行第5列：…".
func issueText(is rules.Issue, lang string) string {
	if lang == "zh" {
		return "第" + strconv.Itoa(is.Line) + "行第" + strconv.Itoa(is.Column) + "列：" + is.ZH
	}
	return "line " + strconv.Itoa(is.Line) + ", column " + strconv.Itoa(is.Column) + ": " + is.EN
}

// ruleSourceError writes a compile error of the rule text in field as 400;
// it reports false for any other error, which the caller handles.
func writeRuleSourceError(w http.ResponseWriter, err error, field, lang string) bool {
	var ce *rules.CompileError
	if !errors.As(err, &ce) || len(ce.Issues) == 0 {
		return false
	}
	body := errorJSON{Issues: make([]ruleIssueJSON, 0, len(ce.Issues))}
	for _, is := range ce.Issues {
		body.Issues = append(body.Issues, ruleIssueJSON{Line: is.Line, Column: is.Column, Message: issueText(is, lang)})
	}
	first := ce.Issues[0]
	body.Error = errorDetailJSON{Code: safetynet.EInvalid, Message: issueText(first, lang), Field: field,
		Line: first.Line, Column: first.Column}
	writeJSON(w, http.StatusBadRequest, body)
	return true
}

// apiCheckRule answers POST /api/v1/rules/check: it type-checks a rule's
// source as the editor does while one types, without saving anything.
func (s *Server) apiCheckRule(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if err := rc.actor.Require(access.RulesEdit); err != nil {
		return err
	}
	var in struct {
		Source string `json:"source"`
		Kind   string `json:"kind"` // "warning" checks a warning rule (e, p, h)
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	check := func(src string) (*rules.Program, error) {
		env, err := s.rulesEnv(r.Context())
		if err != nil {
			return nil, err
		}
		return env.Check(src)
	}
	if in.Kind == rules.KindWarning {
		check = func(src string) (*rules.Program, error) {
			env, err := s.store.WarningEnv(r.Context())
			if err != nil {
				return nil, err
			}
			return env.Check(src)
		}
	}
	p, err := check(in.Source)
	if err != nil {
		if writeRuleSourceError(w, err, "source", rc.lang) {
			return nil
		}
		return err
	}
	writeJSON(w, http.StatusOK, ruleCheckJSON{OK: true, EstimatedCost: p.EstimatedCost()})
	return nil
}
