package sqlstore

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

func batchStore(t testing.TB) *Store {
	t.Helper()
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "b.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.ExecRaw(ctx, `CREATE TABLE kv (k INTEGER PRIMARY KEY, v INTEGER NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	return s
}

func (s *Store) kv(t *testing.T) map[int]int {
	t.Helper()
	rows, err := s.r.Query(`SELECT k, v FROM kv`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[int]int{}
	for rows.Next() {
		var k, v int
		if err := rows.Scan(&k, &v); err != nil {
			t.Fatal(err)
		}
		out[k] = v
	}
	return out
}

var errRefused = errors.New("refused")

// TestGroupCommit writes from many goroutines at once: every write that
// succeeds is kept, every write that fails leaves nothing, whether it
// returned an error half-way, panicked, or its caller gave up while
// queued.
func TestGroupCommit(t *testing.T) {
	s := batchStore(t)
	ctx := context.Background()
	// Hold the writer so that the writes below queue up and commit in
	// batches rather than one by one.
	hold := make(chan struct{})
	held := make(chan struct{})
	go s.write(ctx, func(x *tx) error {
		close(held)
		<-hold
		return nil
	})
	<-held
	gone, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	errs := make([]error, 200)
	panics := make([]any, 200)
	for i := range 200 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { panics[i] = recover() }()
			c := ctx
			if i%50 == 7 {
				c = gone
			}
			errs[i] = s.write(c, func(x *tx) error {
				if _, err := x.exec(ctx, `INSERT INTO kv (k, v) VALUES (?, ?)`, i, i); err != nil {
					return err
				}
				switch {
				case i%10 == 3:
					return errRefused // after its insert: must be undone
				case i == 99:
					panic("boom")
				case i%25 == 11:
					// A duplicate key: the statement fails, the transaction lives.
					_, err := x.exec(ctx, `INSERT INTO kv (k, v) VALUES (?, ?)`, i, -1)
					return err
				}
				return nil
			})
		}()
	}
	// Let them all queue, give up on some, then release the writer.
	deadline := time.Now().Add(5 * time.Second)
	for {
		s.batch.mu.Lock()
		n := len(s.batch.queue)
		s.batch.mu.Unlock()
		if n >= 200 || time.Now().After(deadline) {
			break
		}
		time.Sleep(time.Millisecond)
	}
	cancel()
	close(hold)
	wg.Wait()

	got := s.kv(t)
	for i := range 200 {
		_, kept := got[i]
		switch {
		case i%50 == 7:
			if !errors.Is(errs[i], context.Canceled) || kept {
				t.Errorf("write %d, caller gone: err %v, kept %v", i, errs[i], kept)
			}
		case i%10 == 3:
			if !errors.Is(errs[i], errRefused) || kept {
				t.Errorf("write %d, refused: err %v, kept %v", i, errs[i], kept)
			}
		case i == 99:
			if panics[i] != "boom" || kept {
				t.Errorf("write %d, panicked: recovered %v, kept %v", i, panics[i], kept)
			}
		case i%25 == 11:
			if errs[i] == nil || kept {
				t.Errorf("write %d, duplicate key: err %v, kept %v", i, errs[i], kept)
			}
		default:
			if errs[i] != nil || got[i] != i {
				t.Errorf("write %d: err %v, stored %v", i, errs[i], got[i])
			}
		}
	}
}

// TestGroupCommitCounts: concurrent read-modify-write cycles see each
// other's writes within a batch; no update is lost.
func TestGroupCommitCounts(t *testing.T) {
	s := batchStore(t)
	ctx := context.Background()
	if err := s.ExecRaw(ctx, `INSERT INTO kv (k, v) VALUES (1, 0)`); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				err := s.write(ctx, func(x *tx) error {
					var v int
					if err := x.queryRow(ctx, `SELECT v FROM kv WHERE k = 1`).Scan(&v); err != nil {
						return err
					}
					_, err := x.exec(ctx, `UPDATE kv SET v = ? WHERE k = 1`, v+1)
					return err
				})
				if err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if got := s.kv(t)[1]; got != 2000 {
		t.Fatalf("count = %d, want 2000", got)
	}
}

// TestGroupCommitFailedCommit: when the commit itself fails, no caller is
// told its write was kept.
func TestGroupCommitFailedCommit(t *testing.T) {
	s := batchStore(t)
	ctx := context.Background()
	// A deferred foreign key makes the commit fail, not the statement.
	if err := s.ExecRaw(ctx, `CREATE TABLE child (id INTEGER PRIMARY KEY, parent INTEGER REFERENCES kv (k) DEFERRABLE INITIALLY DEFERRED)`); err != nil {
		t.Fatal(err)
	}
	hold, held := make(chan struct{}), make(chan struct{})
	go s.write(ctx, func(x *tx) error { close(held); <-hold; return nil })
	<-held
	var wg sync.WaitGroup
	errs := make([]error, 10)
	for i := range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.write(ctx, func(x *tx) error {
				if i == 5 {
					_, err := x.exec(ctx, `INSERT INTO child (id, parent) VALUES (1, 999)`)
					return err
				}
				_, err := x.exec(ctx, `INSERT INTO kv (k, v) VALUES (?, ?)`, 100+i, i)
				return err
			})
		}()
	}
	for {
		s.batch.mu.Lock()
		n := len(s.batch.queue)
		s.batch.mu.Unlock()
		if n >= 10 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	close(hold)
	wg.Wait()
	got := s.kv(t)
	for i := range 10 {
		if errs[i] == nil {
			if _, ok := got[100+i]; !ok && i != 5 {
				t.Errorf("write %d reported kept but is not stored", i)
			}
		} else if _, ok := got[100+i]; ok {
			t.Errorf("write %d reported failed (%v) but is stored", i, errs[i])
		}
	}
	if errs[5] == nil {
		t.Fatal("the write breaking a deferred key was reported kept")
	}
	// The writer is usable again.
	if err := s.write(ctx, func(x *tx) error {
		_, err := x.exec(ctx, `INSERT INTO kv (k, v) VALUES (500, 1)`)
		return err
	}); err != nil {
		t.Fatalf("write after a failed commit: %v", err)
	}
	if s.kv(t)[500] != 1 {
		t.Fatal("write after a failed commit not stored")
	}
}
