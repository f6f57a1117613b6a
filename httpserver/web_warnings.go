package httpserver

import (
	"net/http"
	"strconv"
	"strings"

	"safetynet"
	"safetynet/access"
	"safetynet/sqlstore"
)

// warningsPage is 部门预警 (staff) and 预警反馈 (a department account): the
// warnings with their department, event, rule, explanation and outcome.
type warningsPage struct {
	Feedback   bool // the department's own feedback page
	Department string
	EventType  string
	Status     string
	Items      []sqlstore.Warning
	Statuses   []string
}

func (s *Server) showWarnings(w http.ResponseWriter, r *http.Request, rc *reqCtx, feedback bool) error {
	f, err := warningFilterOf(r)
	if err != nil {
		return err
	}
	items, err := s.store.Warnings(r.Context(), rc.actor, f)
	if err != nil {
		return err
	}
	pg := warningsPage{Feedback: feedback, Department: f.Department, EventType: f.EventType, Status: f.Status, Items: items,
		Statuses: append(append([]string(nil), sqlstore.WarningStatuses...), "monitored")}
	title := "warnings.title"
	if feedback {
		title = "warnings.feedback"
	}
	return s.render(w, r, rc, http.StatusOK, "warnings", title, pg, nil)
}

// webWarnings is 部门预警: the warnings whose clue landed in the viewer's
// scope, filtered by department, event type and outcome.
func (s *Server) webWarnings(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if rc.actor.Role == safetynet.RoleDepartment {
		return safetynet.Forbidden()
	}
	if err := rc.actor.Require(access.WorkView); err != nil {
		return err
	}
	return s.showWarnings(w, r, rc, false)
}

// webFeedback is 预警反馈: a department account's warnings and what
// became of them.
func (s *Server) webFeedback(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if rc.actor.Role != safetynet.RoleDepartment {
		return safetynet.Forbidden()
	}
	return s.showWarnings(w, r, rc, true)
}

// WarnDepartments lists the departments for the filters.
func (p *page) WarnDepartments() safetynet.Vocab { return safetynet.Departments }

// WarnEventTypes lists the event types for the filters and the editor.
func (p *page) WarnEventTypes() []safetynet.EventType { return safetynet.EventTypes }

// WarnDeptName names a department.
func (p *page) WarnDeptName(code string) string { return safetynet.Departments.Label(code, p.Lang) }

// WarnEventTypeName names an event type.
func (p *page) WarnEventTypeName(code string) string { return eventTypeName(code, p.Lang) }

// WarnEventTypeNames names the event types of a warning rule (its measure:
// comma-separated codes).
func (p *page) WarnEventTypeNames(codes string) string {
	var out []string
	for _, c := range strings.Split(codes, ",") {
		if c = strings.TrimSpace(c); c != "" {
			out = append(out, eventTypeName(c, p.Lang))
		}
	}
	return strings.Join(out, p.pick("、", ", "))
}

// WarnStatus names a warning's outcome.
func (p *page) WarnStatus(code string) string {
	if code == "monitored" {
		return p.T("warnings.status.monitored")
	}
	return warningStatusName(code, p.Lang)
}

// WarnOutcome names a case outcome.
func (p *page) WarnOutcome(code string) string { return safetynet.CaseOutcomes.Label(code, p.Lang) }

// WarnCategory names a category.
func (p *page) WarnCategory(code string) string { return safetynet.CategoryLabel(code, p.Lang) }

// WarnMeasureNames are a warning's approved measures in the page's language.
func (p *page) WarnMeasureNames(w sqlstore.Warning) string {
	if p.Lang == "zh" {
		return strings.Join(w.MeasureZH, "、")
	}
	return strings.Join(w.MeasureEN, ", ")
}

func warningRuleID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("warningRuleID"), 10, 64)
	if err != nil || id <= 0 {
		return 0, safetynet.NotFound("规则", "rule")
	}
	return id, nil
}
