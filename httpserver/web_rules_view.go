package httpserver

import (
	"net/http"

	"safetynet"
	"safetynet/sqlstore"
)

// ruleView is a published rule as its readers see it: town and village
// staff and inspectors may read the rules that apply to their area, not
// edit them.
type ruleView struct {
	Rule    sqlstore.Rule
	Current sqlstore.RuleVersion // the version in force
}

// publishedRules keeps the rules in force.
func publishedRules(list []sqlstore.Rule) []sqlstore.Rule {
	out := list[:0:0]
	for _, x := range list {
		if x.Status == sqlstore.RulePublished {
			out = append(out, x)
		}
	}
	return out
}

// webRuleReadOnly shows the published version of a rule; a draft or a
// retired rule is not found for its readers.
func (s *Server) webRuleReadOnly(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := ruleID(r)
	if err != nil {
		return err
	}
	x, err := s.store.Rule(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	if x.Status != sqlstore.RulePublished {
		return safetynet.NotFound("规则", "rule")
	}
	versions, err := s.store.RuleVersions(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	v := ruleView{Rule: x}
	for _, rv := range versions {
		if rv.Number == x.Published {
			v.Current = rv
		}
	}
	return s.render(w, r, rc, http.StatusOK, "rule_view", "rules.view", v, nil)
}
