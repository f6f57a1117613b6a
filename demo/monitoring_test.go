package demo_test

import (
	"context"
	"testing"

	"safetynet/access"
	"safetynet/demo"
	"safetynet/monitoring"
	"safetynet/sqlstore"
	"safetynet/sqlstore/storetest"
)

// TestDemoMonitoring: the demo's 腰站社区 has a household at every stage
// of monitoring, so the 监测 pages are not empty for any level.
func TestDemoMonitoring(t *testing.T) {
	ctx := context.Background()
	s := storetest.SQLite(t, nil)
	if _, err := demo.Load(ctx, s, demo.Options{}); err != nil {
		t.Fatal(err)
	}
	sys := access.System()
	open, err := s.MonitoringProcesses(ctx, sys, sqlstore.MonitoringFilter{Place: demo.Yaozhan})
	if err != nil {
		t.Fatal(err)
	}
	steps := map[string]string{}
	for _, p := range open {
		steps[p.HeadName] = p.Step
	}
	if steps["张秀英"] != monitoring.StepReview || steps["李国华"] != monitoring.StepNotice || steps["陈明"] != monitoring.StepCounty || len(open) != 3 {
		t.Errorf("open processes = %v", steps)
	}
	confirmed, err := s.MonitoringProcesses(ctx, sys, sqlstore.MonitoringFilter{Status: monitoring.StatusConfirmed})
	if err != nil || len(confirmed) != 1 || confirmed[0].HeadName != "王德福" {
		t.Errorf("confirmed = %+v %v", confirmed, err)
	}
	for list, want := range map[string]string{sqlstore.MonitoredReady: "刘桂兰", sqlstore.MonitoredOverdue: "赵大山"} {
		hs, err := s.MonitoredHouseholds(ctx, sys, demo.Yaozhan, list)
		if err != nil || len(hs) != 1 || hs[0].HeadName != want {
			t.Errorf("%s = %+v %v", list, hs, err)
		}
	}
}
