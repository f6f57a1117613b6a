package notify

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"
)

func TestMemQueueOutcomeWrites(t *testing.T) {
	lease := time.Minute
	for _, tc := range []struct {
		name    string
		owner   string
		at      time.Time // of the write (Sent/GiveUp now, Retry via q.Now)
		wantErr bool
	}{
		{"owner within the lease", "a", t0.Add(lease - time.Nanosecond), false},
		{"another owner", "b", t0.Add(time.Second), true},
		{"owner after the lease", "a", t0.Add(lease), true},
	} {
		for _, op := range []string{"Sent", "Retry", "GiveUp"} {
			t.Run(tc.name+" "+op, func(t *testing.T) {
				clock := newClock()
				q := &MemQueue{Now: clock.Now}
				id := q.Add(Message{Channel: "sms"})
				if got, _ := q.Claim(context.Background(), "a", t0, 10, lease); len(got) != 1 {
					t.Fatalf("claimed %d", len(got))
				}
				clock.Set(tc.at)
				var err error
				switch op {
				case "Sent":
					err = q.Sent(context.Background(), id, tc.owner, tc.at)
				case "Retry":
					err = q.Retry(context.Background(), id, tc.owner, tc.at.Add(time.Hour), "why")
				case "GiveUp":
					err = q.GiveUp(context.Background(), id, tc.owner, tc.at, "why")
				}
				e, _ := q.Entry(id)
				if tc.wantErr {
					if !errors.Is(err, ErrLeaseLost) || e.State != StatePending || e.Message.Attempts != 0 || e.Owner != "a" {
						t.Fatalf("err %v, entry %+v: want ErrLeaseLost and no change", err, e)
					}
					return
				}
				wantState := map[string]string{"Sent": StateSent, "Retry": StatePending, "GiveUp": StateGivenUp}[op]
				if err != nil || e.State != wantState || e.Message.Attempts != 1 || e.Owner != "" {
					t.Fatalf("err %v, entry %+v: want %s", err, e, wantState)
				}
				// A second write on a finished or released message is refused.
				if err := q.Sent(context.Background(), id, "a", tc.at); !errors.Is(err, ErrLeaseLost) {
					t.Fatalf("second write: %v", err)
				}
			})
		}
	}
}

func TestMemQueueClaim(t *testing.T) {
	q := &MemQueue{}
	for _, id := range []int64{5, 0, 3} { // 0 takes the next free ID: 6
		q.Add(Message{ID: id, Channel: "sms"})
	}
	ctx := context.Background()
	for _, step := range []struct {
		name  string
		owner string
		at    time.Time
		limit int
		want  []int64
	}{
		{"limit, oldest due first", "a", t0, 2, []int64{3, 5}},
		{"leased ones are skipped", "b", t0.Add(time.Second), 10, []int64{6}},
		{"nothing left while leased", "c", t0.Add(59 * time.Second), 10, nil},
		{"expired leases are claimable", "c", t0.Add(time.Minute), 10, []int64{3, 5}},
	} {
		t.Run(step.name, func(t *testing.T) {
			got, err := q.Claim(ctx, step.owner, step.at, step.limit, time.Minute)
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, m := range got {
				ids = append(ids, m.ID)
			}
			if len(ids) != len(step.want) {
				t.Fatalf("claimed %v, want %v", ids, step.want)
			}
			for i := range ids {
				if ids[i] != step.want[i] {
					t.Fatalf("claimed %v, want %v", ids, step.want)
				}
			}
		})
	}
}

func TestMemQueueAccessors(t *testing.T) {
	ctx := context.Background()
	q := &MemQueue{Now: func() time.Time { return t0 }}
	for range 4 {
		q.Add(Message{Channel: "sms"})
	}
	if _, err := q.Claim(ctx, "a", t0, 10, time.Minute); err != nil {
		t.Fatal(err)
	}
	for _, err := range []error{
		q.Sent(ctx, 3, "a", t0),
		q.Sent(ctx, 1, "a", t0),
		q.GiveUp(ctx, 2, "a", t0, "bad number"),
		q.Retry(ctx, 4, "a", t0.Add(time.Hour), "busy"),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name string
		ok   bool
	}{
		{"SentIDs in send order", slices.Equal(q.SentIDs(), []int64{3, 1})},
		{"GivenUp with reasons", len(q.GivenUp()) == 1 && q.GivenUp()[2] == "bad number"},
		{"Pending holds the retried one", len(q.Pending()) == 1 && q.Pending()[0].ID == 4 && q.Pending()[0].Attempts == 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !tc.ok {
				t.Fatalf("sent %v, given up %v, pending %+v", q.SentIDs(), q.GivenUp(), q.Pending())
			}
		})
	}
	if _, ok := q.Entry(99); ok {
		t.Fatal("Entry of an unknown ID")
	}
	defer func() {
		if recover() == nil {
			t.Fatal("Add of a duplicate ID must panic")
		}
	}()
	q.Add(Message{ID: 2})
}
