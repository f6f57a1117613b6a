package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"safetynet"
	"safetynet/access"
	"safetynet/feeds"
)

// FeedPush is a batch a department pushes (or an officer uploads for it).
type FeedPush struct {
	Department string // safetynet.Departments code
	BatchKey   string // the department's batch id; the same key again changes nothing
	Source     string // "api" or "file"
	FileName   string
	// County is the batch's county; "" takes the actor's place, which
	// must then be a county.
	County string
	Rows   []feeds.Row
}

// FeedBatch is a stored batch with its counts.
type FeedBatch struct {
	ID                          int64
	Department                  string
	BatchKey                    string
	CountyCode, CountyName      string
	Source, FileName            string
	Rows, Matched, Unregistered int
	Rejected                    int
	CreatedBy, CreatedByName    string
	CreatedAt                   time.Time
	Replayed                    bool // the batch was pushed before: this is the stored result
}

// Row statuses of a batch.
const (
	FeedMatched      = "matched"
	FeedUnregistered = "unregistered"
	FeedRejected     = "rejected"
)

// MaxFeedRows bounds the rows of one batch.
const MaxFeedRows = 100_000

// MaxFeedRejectedShown bounds the rejected rows returned with a push;
// the batch's row results hold them all.
const MaxFeedRejectedShown = 1000

// maxBatchKeyLen bounds a batch key, in characters.
const maxBatchKeyLen = 128

// errFeedSeen ends a push whose batch another push stored first.
var errFeedSeen = errors.New("sqlstore: feed batch already stored")

// PushFeedBatch checks and stores a batch in one transaction: a result for
// every row, an event for every accepted row (matched to the register by
// the ID number's blind index, or placed by feeds.Locator when the person
// is not registered) and the event on the warning queue. A batch pushed
// again (same department and batch key, also from another process at the
// same moment) returns the stored result with Replayed set and writes
// nothing. The rejected rows are returned with the batch.
func (s *Store) PushFeedBatch(ctx context.Context, a access.Actor, in FeedPush) (FeedBatch, []FeedRowResult, error) {
	if err := a.Require(access.FeedPush); err != nil {
		return FeedBatch{}, nil, err
	}
	if !safetynet.Departments.Valid(in.Department) {
		return FeedBatch{}, nil, safetynet.Invalid("department", "未知的部门“%s”", "unknown department %q", cutText(in.Department, 64))
	}
	if err := s.feedMayPush(ctx, a, in.Department); err != nil {
		return FeedBatch{}, nil, err
	}
	key := strings.TrimSpace(in.BatchKey)
	if key == "" || utf8.RuneCountInString(key) > maxBatchKeyLen || !utf8.ValidString(key) || strings.ContainsRune(key, 0) {
		return FeedBatch{}, nil, safetynet.Invalid("batch_id", "批次号必须是1到%d个字的文本", "the batch id must be a text of 1 to %d characters", maxBatchKeyLen)
	}
	if len(in.Rows) > MaxFeedRows {
		return FeedBatch{}, nil, safetynet.Invalid("rows", "一个批次最多%d行，请拆分后分批推送", "a batch holds at most %d rows: split it", MaxFeedRows)
	}
	if in.Source != "file" {
		in.Source = "api"
	}
	county, err := s.feedCounty(ctx, a, in.County)
	if err != nil {
		return FeedBatch{}, nil, err
	}
	if len(in.Rows) == 0 {
		return FeedBatch{}, nil, safetynet.Invalid("rows", "批次中没有数据行", "the batch holds no rows")
	}
	// Pushed before: answer from what is stored without checking again.
	if b, rej, err := s.storedFeedBatch(ctx, in.Department, key); err == nil {
		return b, rej, nil
	} else if !errors.Is(err, sql.ErrNoRows) {
		return FeedBatch{}, nil, err
	}
	p, err := s.prepareFeed(ctx, county, in.Rows)
	if err != nil {
		return FeedBatch{}, nil, err
	}
	in.Rows = nil // checked: a big batch's raw rows may go
	var id int64
	err = s.write(ctx, func(t *tx) error {
		var err error
		id, err = s.storeFeed(ctx, t, a, in, key, county, p)
		return err
	})
	if errors.Is(err, errFeedSeen) {
		b, rej, err := s.storedFeedBatch(ctx, in.Department, key)
		return b, rej, err
	}
	if err != nil {
		return FeedBatch{}, nil, err
	}
	b, err := s.feedBatchByID(ctx, id)
	if err != nil {
		return FeedBatch{}, nil, err
	}
	var rej []FeedRowResult
	for _, r := range p.results {
		if r.Problem != nil && len(rej) < MaxFeedRejectedShown {
			rej = append(rej, FeedRowResult{Row: r.No, Key: r.Key, Status: FeedRejected, Field: r.Problem.Field,
				ReasonZH: r.Problem.ZH, ReasonEN: r.Problem.EN})
		}
	}
	return b, rej, nil
}

// feedCounty returns the county of a batch pushed by a: code, a county in
// a's scope, or a's own place when code is empty.
func (s *Store) feedCounty(ctx context.Context, a access.Actor, code string) (string, error) {
	if code == "" {
		code = a.Place
	}
	var p safetynet.Place
	err := s.read(ctx, func(t *tx) error {
		var err error
		p, err = s.placeInScope(ctx, t, a.Scope(access.Places), code)
		return err
	})
	if safetynet.CodeOf(err) == safetynet.ENotFound || err == nil && p.Level != safetynet.LevelCounty {
		return "", safetynet.Invalid("county_code", "请选择批次所属的县(区)", "choose the county of the batch")
	}
	return p.Code, err
}

// preparedFeed is a checked batch with its sealed ID numbers: everything
// that needs no transaction.
type preparedFeed struct {
	results  []feeds.Result
	enc, idx [][]byte // per result; nil for rejected rows
	fields   []string // JSON per result
	place    []string // per result: where the person is if not in the register
}

func (s *Store) prepareFeed(ctx context.Context, county string, rows []feeds.Row) (*preparedFeed, error) {
	p := &preparedFeed{results: feeds.Check(rows, s.now().In(chinaTime))}
	n := len(rows)
	p.enc, p.idx, p.fields, p.place = make([][]byte, n), make([][]byte, n), make([]string, n), make([]string, n)
	loc, err := s.feedLocator(ctx, county)
	if err != nil {
		return nil, err
	}
	// Sealing is most of the work left: on every core.
	workers := max(1, min(runtime.GOMAXPROCS(0), n/2000))
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += workers {
				ev := p.results[i].Event
				if ev == nil {
					continue
				}
				var err error
				if p.enc[i], p.idx[i], err = s.seal(ev.IDNumber, ctxFeedID, idxIDNumber); err != nil {
					errs[w] = err
					return
				}
				b, err := json.Marshal(ev.Fields)
				if err != nil {
					errs[w] = fmt.Errorf("sqlstore: feed fields: %w", err)
					return
				}
				p.fields[i] = string(b)
				p.place[i] = loc.Locate(ev.Address, ev.Region)
				ev.Fields = nil // stored as JSON from here on: let the maps go
			}
		}()
	}
	wg.Wait()
	return p, errors.Join(errs...)
}

// ctxFeedID is the encryption context of ID numbers in feed events; their
// blind index is the register's, so that one lookup matches both.
const ctxFeedID = "feed.id_number"

var chinaTime = time.FixedZone("CST", 8*3600)

// feedLocator loads the towns and villages of county and the known county
// codes.
func (s *Store) feedLocator(ctx context.Context, county string) (*feeds.Locator, error) {
	var places []feeds.Place
	counties := map[string]bool{}
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `SELECT p.code, p.name, p.level, COALESCE(p.parent_code, '') FROM place_tree t JOIN places p ON p.code = t.descendant
			WHERE t.ancestor = ? AND p.level IN ('town', 'village')`, county)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var pl feeds.Place
			if err := rows.Scan(&pl.Code, &pl.Name, &pl.Level, &pl.Town); err != nil {
				return err
			}
			places = append(places, pl)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		cs, err := t.query(ctx, `SELECT code FROM places WHERE level = 'county'`)
		if err != nil {
			return err
		}
		defer cs.Close()
		for cs.Next() {
			var c string
			if err := cs.Scan(&c); err != nil {
				return err
			}
			counties[c] = true
		}
		return cs.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("sqlstore: feed places of %s: %w", county, err)
	}
	return feeds.NewLocator(county, places, counties), nil
}

// bigFeed is the batch size from which SQLite gets a larger page cache
// while the batch is written.
const bigFeed = 5000

// storeFeed writes a prepared batch in t and returns its ID.
func (s *Store) storeFeed(ctx context.Context, t *tx, a access.Actor, in FeedPush, key, county string, p *preparedFeed) (int64, error) {
	now := ms(s.now())
	var id int64
	err := t.queryRow(ctx, `INSERT INTO feed_batches (department, batch_key, county_code, source, filename, row_count, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (department, batch_key) DO NOTHING RETURNING id`,
		in.Department, key, county, in.Source, cutText(in.FileName, 200), len(p.results), a.Username, now).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, errFeedSeen
	}
	if err != nil {
		return 0, fmt.Errorf("sqlstore: insert feed batch: %w", err)
	}
	if t.d.name == "sqlite" && len(p.results) > bigFeed {
		// A big batch touches four indexes of feed_events at random
		// places: a larger page cache for this transaction saves re-reading
		// their pages (16 MB is the writer's usual, see openSQLite).
		if _, err := t.exec(ctx, `PRAGMA cache_size = -65536`); err != nil {
			return 0, fmt.Errorf("sqlstore: feed cache: %w", err)
		}
		defer t.exec(ctx, `PRAGMA cache_size = -16000`)
	}
	found, err := s.matchFeed(ctx, t, p)
	if err != nil {
		return 0, err
	}
	accepted := 0
	for _, r := range p.results {
		if r.Event != nil {
			accepted++
		}
	}
	ids, err := t.allocIDs(ctx, "feed_events", accepted)
	if err != nil {
		return 0, err
	}
	// Written in chunks, so that a big batch's rows of values never all
	// live at once (the heap has a soft limit).
	const chunk = 4096
	events := make([][]any, 0, chunk)
	queue := make([][]any, 0, chunk)
	rows := make([][]any, 0, chunk)
	flush := func() error {
		if err := t.insertRows(ctx, "feed_events", feedEventInsertCols, events); err != nil {
			return err
		}
		if err := t.insertRows(ctx, "feed_rows", feedRowInsertCols, rows); err != nil {
			return err
		}
		if err := t.insertRows(ctx, "warning_queue", []string{"event_id", "queued_at"}, queue); err != nil {
			return err
		}
		events, rows, queue = events[:0], rows[:0], queue[:0]
		return nil
	}
	var matched, unregistered, rejected, next int
	for i, r := range p.results {
		if len(rows) == chunk {
			if err := flush(); err != nil {
				return 0, err
			}
		}
		if r.Event == nil {
			rejected++
			rows = append(rows, []any{id, r.No, r.Key, FeedRejected, r.Problem.Field, r.Problem.ZH, r.Problem.EN, int64(0)})
			continue
		}
		ev := r.Event
		eid := ids[next]
		next++
		status, exact := FeedMatched, 1
		reg, ok := found[string(p.idx[i])]
		if ok {
			matched++
		} else {
			status, exact = FeedUnregistered, 0
			unregistered++
			reg.place = p.place[i]
		}
		events = append(events, []any{eid, id, in.Department, r.Key, ev.Type, ev.Date, reg.person, reg.household, reg.place, exact,
			p.enc[i], p.idx[i], ev.Name, ev.Address, p.fields[i], now})
		queue = append(queue, []any{eid, now})
		rows = append(rows, []any{id, r.No, r.Key, status, "", "", "", eid})
	}
	if err := flush(); err != nil {
		return 0, err
	}
	if _, err := t.exec(ctx, `UPDATE feed_batches SET matched = ?, unregistered = ?, rejected = ? WHERE id = ?`,
		matched, unregistered, rejected, id); err != nil {
		return 0, fmt.Errorf("sqlstore: feed batch counts: %w", err)
	}
	return id, s.audit(ctx, t, a, auditRec{action: "feed.push", objType: "feed_batch", objID: fmt.Sprint(id), place: county,
		detail: map[string]any{"department": in.Department, "batch_key": key, "rows": len(p.results), "matched": matched,
			"unregistered": unregistered, "rejected": rejected}})
}

var (
	feedEventInsertCols = []string{"id", "batch_id", "department", "row_key", "event_type", "event_date", "person_id", "household_id",
		"place_code", "place_exact", "id_enc", "id_idx", "name", "address", "fields", "created_at"}
	feedRowInsertCols = []string{"batch_id", "row_no", "row_key", "status", "field", "reason_zh", "reason_en", "event_id"}
)

// cutText makes s storable and short: valid UTF-8 without NUL, at most n
// bytes.
func cutText(s string, n int) string {
	s = strings.ToValidUTF8(strings.ReplaceAll(s, "\x00", ""), "")
	for len(s) > n {
		_, size := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-size]
	}
	return s
}
