package sqlstore

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/settlement"
)

// ServiceSample is a random sample of pending records drawn for verification.
type ServiceSample struct {
	ID        int64
	PlaceCode string
	PlaceName string
	Month     string
	Percent   int
	Seed      int64
	Pool      int // pending records it was drawn from
	Drawn     int
	Pending   int // of those drawn, still pending
	CreatedBy string
	CreatedAt time.Time
}

// SampleInput asks for a sample: percent of the pending records of the
// month at place (the actor's place if empty); a given seed draws the
// same sample again from the same records.
type SampleInput struct {
	Place   string
	Month   string
	Percent int
	Seed    *int64
}

// MaxSeed bounds seeds so that they stay exact in JSON numbers.
const MaxSeed = 1<<53 - 1

// DrawServiceSample draws a random sample of the pending records of a
// month in the actor's area and keeps it with its seed; the audit log
// records the seed, the percent and the SHA-256 of the IDs drawn from
// (one per line, ascending), so the draw can be repeated and checked
// (settlement.Sample).
func (s *Store) DrawServiceSample(ctx context.Context, a access.Actor, in SampleInput) (ServiceSample, error) {
	var out ServiceSample
	if err := a.Require(access.ServiceVerify); err != nil {
		return out, err
	}
	month, err := settlement.CheckMonth("month", in.Month)
	if err != nil {
		return out, err
	}
	if err := settlement.CheckPercent(in.Percent); err != nil {
		return out, err
	}
	var seed int64
	if in.Seed != nil {
		if *in.Seed < 0 || *in.Seed > MaxSeed {
			return out, safetynet.Invalid("seed", "随机种子应为 0 到 2^53-1 之间的整数", "the seed must be an integer from 0 to 2^53-1")
		}
		seed = *in.Seed
	} else {
		var b [8]byte
		_, _ = rand.Read(b[:])
		seed = int64(binary.LittleEndian.Uint64(b[:]) & MaxSeed)
	}
	place := in.Place
	if place == "" {
		place = a.Place
	}
	where, args := serviceWhere(a, "r")
	err = s.write(ctx, func(t *tx) error {
		p, err := s.placeInScope(ctx, t, access.Scope{Kind: access.ScopeSubtree, Place: a.Place}, place)
		if err != nil {
			return err
		}
		rows, err := t.query(ctx, `SELECT r.id FROM service_records r WHERE r.month = ? AND r.review_status = 'pending'
			AND r.place_code IN (SELECT descendant FROM place_tree WHERE ancestor = ?) AND `+where+` ORDER BY r.id`,
			append([]any{month, place}, args...)...)
		if err != nil {
			return fmt.Errorf("sqlstore: sample: %w", err)
		}
		var pool []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			pool = append(pool, id)
		}
		rows.Close()
		if len(pool) == 0 {
			return safetynet.Invalid("month", "%s 在该地没有待核验的服务", "there are no pending services at this place in %s", month)
		}
		drawn := settlement.Sample(pool, in.Percent, uint64(seed))
		h := sha256.New()
		for _, id := range pool {
			fmt.Fprintf(h, "%d\n", id)
		}
		now := ms(s.now())
		var name string
		_ = t.queryRow(ctx, `SELECT COALESCE(NULLIF(display_name, ''), username) FROM users WHERE id = ?`, a.UserID).Scan(&name)
		if name == "" {
			name = a.Username
		}
		out = ServiceSample{PlaceCode: p.Code, PlaceName: p.Name, Month: month, Percent: in.Percent, Seed: seed, Pool: len(pool),
			Drawn: len(drawn), Pending: len(drawn), CreatedBy: name, CreatedAt: fromMS(now)}
		if err := t.queryRow(ctx, `INSERT INTO service_samples (place_code, month, percent, seed, pool, drawn, user_id, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, p.Code, month, in.Percent, seed, len(pool), len(drawn), a.UserID, name, now).Scan(&out.ID); err != nil {
			return fmt.Errorf("sqlstore: sample: %w", err)
		}
		items := make([][]any, len(drawn))
		for i, id := range drawn {
			items[i] = []any{out.ID, id}
		}
		if err := t.insertRows(ctx, "service_sample_items", []string{"sample_id", "record_id"}, items); err != nil {
			return fmt.Errorf("sqlstore: sample: %w", err)
		}
		return s.audit(ctx, t, a, auditRec{action: "service.sample", objType: "service_sample", objID: fmt.Sprint(out.ID), place: p.Code,
			detail: map[string]any{"month": month, "percent": in.Percent, "seed": seed, "pool": len(pool), "drawn": len(drawn),
				"sha256": hex.EncodeToString(h.Sum(nil))}})
	})
	return out, err
}

// ServiceSamples lists the samples drawn in the actor's area for a month
// (all months if empty), the newest first.
func (s *Store) ServiceSamples(ctx context.Context, a access.Actor, month string) ([]ServiceSample, error) {
	if err := a.Require(access.ServiceView); err != nil {
		return nil, err
	}
	if !a.Can(access.ServiceView) || a.Place == "" {
		return nil, nil
	}
	where, args := scopeClause(access.Scope{Kind: access.ScopeSubtree, Place: a.Place}, "sm.place_code")
	if month != "" {
		m, err := settlement.CheckMonth("month", month)
		if err != nil {
			return nil, err
		}
		where, args = where+" AND sm.month = ?", append(args, m)
	}
	var out []ServiceSample
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `SELECT sm.id, sm.place_code, pl.name, sm.month, sm.percent, sm.seed, sm.pool, sm.drawn,
			(SELECT COUNT(*) FROM service_sample_items i JOIN service_records r ON r.id = i.record_id WHERE i.sample_id = sm.id AND r.review_status = 'pending'),
			sm.created_by, sm.created_at FROM service_samples sm JOIN places pl ON pl.code = sm.place_code WHERE `+where+` ORDER BY sm.id DESC LIMIT 50`, args...)
		if err != nil {
			return fmt.Errorf("sqlstore: samples: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var x ServiceSample
			var at int64
			if err := rows.Scan(&x.ID, &x.PlaceCode, &x.PlaceName, &x.Month, &x.Percent, &x.Seed, &x.Pool, &x.Drawn, &x.Pending, &x.CreatedBy, &at); err != nil {
				return err
			}
			x.CreatedAt = fromMS(at)
			out = append(out, x)
		}
		return rows.Err()
	})
	return out, err
}

// ServiceSampleByID returns one sample of the actor's area.
func (s *Store) ServiceSampleByID(ctx context.Context, a access.Actor, id int64) (ServiceSample, error) {
	var x ServiceSample
	if err := a.Require(access.ServiceView); err != nil {
		return x, err
	}
	where, args := scopeCheck(access.Scope{Kind: access.ScopeSubtree, Place: a.Place}, "sm.place_code")
	err := s.read(ctx, func(t *tx) error {
		var at int64
		err := t.queryRow(ctx, `SELECT sm.id, sm.place_code, pl.name, sm.month, sm.percent, sm.seed, sm.pool, sm.drawn,
			(SELECT COUNT(*) FROM service_sample_items i JOIN service_records r ON r.id = i.record_id WHERE i.sample_id = sm.id AND r.review_status = 'pending'),
			sm.created_by, sm.created_at
			FROM service_samples sm JOIN places pl ON pl.code = sm.place_code WHERE sm.id = ? AND `+where, append([]any{id}, args...)...).
			Scan(&x.ID, &x.PlaceCode, &x.PlaceName, &x.Month, &x.Percent, &x.Seed, &x.Pool, &x.Drawn, &x.Pending, &x.CreatedBy, &at)
		if isNoRows(err) {
			return safetynet.NotFound("抽查", "sample")
		}
		x.CreatedAt = fromMS(at)
		return err
	})
	return x, err
}
