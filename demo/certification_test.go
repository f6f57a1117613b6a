package demo_test

import (
	"context"
	"testing"

	"safetynet/access"
	"safetynet/certification"
	"safetynet/demo"
	"safetynet/sqlstore"
	"safetynet/sqlstore/storetest"
)

// TestDemoCertification: 腰站社区 has recipients due within 30 days, one
// overdue, and certifications in this period and the previous one.
func TestDemoCertification(t *testing.T) {
	ctx := context.Background()
	s := storetest.SQLite(t, nil)
	if _, err := demo.Load(ctx, s, demo.Options{}); err != nil {
		t.Fatal(err)
	}
	sys := access.System()
	due, err := s.Certifications(ctx, sys, sqlstore.CertificationFilter{Place: demo.Yaozhan})
	if err != nil {
		t.Fatal(err)
	}
	status := map[string]string{}
	for _, c := range due {
		status[c.PersonName] = c.Status
	}
	if len(status) != 5 || status["钱桂芳"] != certification.StatusOverdue || status["周玉兰"] != certification.StatusDue {
		t.Errorf("due = %v", status)
	}
	now := s.Now()
	f, err := s.CertificationFigures(ctx, sys, demo.Yaozhan, certification.Day(now).AddDate(0, 0, -29), certification.Day(now).AddDate(0, 0, 1))
	if err != nil || f.Place.Current.Face != 1 || f.Place.Previous.Data != 1 || f.Place.Overdue != 1 || f.Place.DueSoon != 4 {
		t.Errorf("figures = %+v %v", f.Place, err)
	}
}
