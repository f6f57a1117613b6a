package sqlstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"safetynet"
	"safetynet/access"
	"safetynet/funds"
)

// FundDocument is a document to attach to an entry: an invoice, a receipt
// voucher, a contract (PDF or image).
type FundDocument struct {
	Name string
	Data []byte
}

// errFundDup rolls back a write whose client id another transaction
// committed meanwhile.
var errFundDup = errors.New("sqlstore: funds: client id taken meanwhile")

func checkClientID(id string) (string, error) {
	id = strings.TrimSpace(id)
	if len(id) < 8 || len(id) > 64 {
		return id, safetynet.Invalid("client_id", "缺少提交编号，请刷新页面后重试", "client_id must have 8 to 64 characters")
	}
	return id, nil
}

// CreateFundSource registers a source owned by a place in the actor's
// subtree. A resend with the same client id returns the same source.
func (s *Store) CreateFundSource(ctx context.Context, a access.Actor, clientID string, in funds.Source) (int64, bool, error) {
	if err := a.Require(access.FundsManage); err != nil {
		return 0, false, err
	}
	clientID, err := checkClientID(clientID)
	if err != nil {
		return 0, false, err
	}
	if in, err = funds.CheckSource(in); err != nil {
		return 0, false, err
	}
	var id int64
	var dup bool
	err = s.write(ctx, func(t *tx) error {
		id, dup = 0, false
		var level string
		err := t.queryRow(ctx, `SELECT level FROM places WHERE code = ?`, in.Place).Scan(&level)
		if isNoRows(err) {
			return safetynet.Invalid("place_code", "地区不存在", "no such place")
		} else if err != nil {
			return fmt.Errorf("sqlstore: fund source: %w", err)
		}
		if ok, err := s.fundsManaged(ctx, t, a, in.Place); err != nil {
			return err
		} else if !ok {
			return safetynet.Invalid("place_code", "地区不存在", "no such place") // outside looks like missing
		}
		if err := funds.CheckOwner(level); err != nil {
			return err
		}
		if err := t.queryRow(ctx, `SELECT id FROM fund_sources WHERE client_id = ?`, clientID).Scan(&id); err == nil {
			dup = true
			return nil
		} else if !isNoRows(err) {
			return fmt.Errorf("sqlstore: fund source: %w", err)
		}
		err = t.queryRow(ctx, `INSERT INTO fund_sources (client_id, name, kind, donor, place_code, note, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (client_id) DO NOTHING RETURNING id`,
			clientID, in.Name, in.Kind, in.Donor, in.Place, in.Note, a.Username, ms(s.now())).Scan(&id)
		if isNoRows(err) {
			return errFundDup
		} else if err != nil {
			return fmt.Errorf("sqlstore: fund source: %w", err)
		}
		return s.audit(ctx, t, a, auditRec{action: "funds.source", objType: "fund_source", objID: fmt.Sprint(id), place: in.Place,
			detail: map[string]any{"fund_kind": in.Kind, "name": in.Name}})
	})
	if errors.Is(err, errFundDup) {
		err = s.read(ctx, func(t *tx) error {
			return t.queryRow(ctx, `SELECT id FROM fund_sources WHERE client_id = ?`, clientID).Scan(&id)
		})
		return id, true, err
	}
	return id, dup, err
}

// fundTarget is one resolved household or person of an entry.
type fundTarget struct {
	household, person int64
	place             string
}

// resolveTargets finds the named households or persons in the source's
// subtree; one that is not there is refused by its position in the list.
func (s *Store) resolveTargets(ctx context.Context, t *tx, e funds.Entry, sourcePlace string) ([]fundTarget, error) {
	var out []fundTarget
	for i, h := range e.Households {
		var place string
		err := t.queryRow(ctx, `SELECT place_code FROM households WHERE id = ? AND status = 'active'
			AND EXISTS (SELECT 1 FROM place_tree WHERE ancestor = ? AND descendant = households.place_code)`, h, sourcePlace).Scan(&place)
		if isNoRows(err) {
			return nil, safetynet.Invalid("households", "第 %d 户不在该资金来源的地区内", "household %d of the list is not in the source's area", i+1)
		} else if err != nil {
			return nil, fmt.Errorf("sqlstore: fund targets: %w", err)
		}
		out = append(out, fundTarget{household: h, place: place})
	}
	for i, p := range e.Persons {
		var hh int64
		var place string
		err := t.queryRow(ctx, `SELECT p.household_id, h.place_code FROM persons p JOIN households h ON h.id = p.household_id
			WHERE p.id = ? AND p.status = 'active' AND EXISTS (SELECT 1 FROM place_tree WHERE ancestor = ? AND descendant = h.place_code)`,
			p, sourcePlace).Scan(&hh, &place)
		if isNoRows(err) {
			return nil, safetynet.Invalid("persons", "第 %d 人不在该资金来源的地区内", "person %d of the list is not in the source's area", i+1)
		} else if err != nil {
			return nil, fmt.Errorf("sqlstore: fund targets: %w", err)
		}
		out = append(out, fundTarget{household: hh, person: p, place: place})
	}
	return out, nil
}

// AddFundEntry appends an entry to a source's ledger: a receipt, an
// allocation, a spend from an allocation or an in-kind gift, with its
// documents. An allocation beyond what the source has left, or a spend
// beyond its allocation, is refused, also when two arrive at once. A
// resend with the same client id returns the entry already made.
func (s *Store) AddFundEntry(ctx context.Context, a access.Actor, sourceID int64, clientID string, in funds.Entry, docs []FundDocument) (int64, bool, error) {
	if err := a.Require(access.FundsManage); err != nil {
		return 0, false, err
	}
	clientID, err := checkClientID(clientID)
	if err != nil {
		return 0, false, err
	}
	types := make([]string, len(docs))
	for i, d := range docs {
		if types[i], err = funds.DocumentType(d.Name, d.Data); err != nil {
			return 0, false, err
		}
	}
	var id int64
	var dup bool
	err = s.write(ctx, func(t *tx) error {
		id, dup = 0, false
		src, err := s.sourceForWrite(ctx, t, a, sourceID)
		if err != nil {
			return err
		}
		var prev int64
		if err := t.queryRow(ctx, `SELECT id, source_id FROM fund_entries WHERE client_id = ?`, clientID).Scan(&id, &prev); err == nil {
			if prev != sourceID {
				return safetynet.Conflict("client_id", "提交编号已用于另一条记录", "client_id was used for another entry")
			}
			dup = true
			return nil
		} else if !isNoRows(err) {
			return fmt.Errorf("sqlstore: fund entry: %w", err)
		}
		now := s.now()
		e, err := funds.CheckEntry(in, now)
		if err != nil {
			return err
		}
		if e.Target == funds.ToMeasure {
			var n int
			if err := t.queryRow(ctx, `SELECT COUNT(*) FROM measure_catalogue WHERE code = ?`, e.Measure).Scan(&n); err != nil {
				return fmt.Errorf("sqlstore: fund entry: %w", err)
			} else if n == 0 {
				return safetynet.Invalid("measure", "救助措施不存在", "no such measure")
			}
		}
		targets, err := s.resolveTargets(ctx, t, e, src.place)
		if err != nil {
			return err
		}
		var alloc any
		switch e.Kind {
		case funds.Allocation:
			if err := funds.CheckAllocate(src.balance, e.AmountFen); err != nil {
				return err
			}
		case funds.Spend:
			var amount, spent int64
			var reversed int
			err := t.queryRow(ctx, `SELECT amount_fen, spent_fen, reversed FROM fund_allocations WHERE entry_id = ? AND source_id = ?`,
				e.AllocationID, sourceID).Scan(&amount, &spent, &reversed)
			if isNoRows(err) {
				return safetynet.Invalid("allocation_id", "该资金来源没有这笔分配", "the source has no such allocation")
			} else if err != nil {
				return fmt.Errorf("sqlstore: fund entry: %w", err)
			}
			if reversed != 0 {
				return safetynet.Conflict("allocation_id", "该分配已冲销，不能再支出", "the allocation was reversed")
			}
			if err := funds.CheckSpend(amount, spent, e.AmountFen); err != nil {
				return err
			}
			alloc = e.AllocationID
		}
		var name string
		_ = t.queryRow(ctx, `SELECT display_name FROM users WHERE id = ?`, a.UserID).Scan(&name)
		err = t.queryRow(ctx, `INSERT INTO fund_entries (client_id, source_id, place_code, kind, amount_fen, on_date, doc_no, payee, note,
			target, measure, item, quantity, unit_price_fen, allocation_id, user_id, username, display_name, at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (client_id) DO NOTHING RETURNING id`,
			clientID, sourceID, src.place, e.Kind, e.AmountFen, funds.Day(e.On).Format(dateLayout), e.DocNo, e.Payee, e.Note,
			e.Target, e.Measure, e.Item, e.Quantity, e.UnitPriceFen, alloc, a.UserID, a.Username, name, ms(now)).Scan(&id)
		if isNoRows(err) {
			return errFundDup
		} else if err != nil {
			return fmt.Errorf("sqlstore: fund entry: %w", err)
		}
		if err := s.applyFundBalance(ctx, t, sourceID, e.Kind, e.AmountFen, e.AllocationID); err != nil {
			return err
		}
		if e.Kind == funds.Allocation {
			if _, err := t.exec(ctx, `INSERT INTO fund_allocations (entry_id, source_id, amount_fen) VALUES (?, ?, ?)`, id, sourceID, e.AmountFen); err != nil {
				return fmt.Errorf("sqlstore: fund allocation: %w", err)
			}
		}
		shares := funds.Shares(e.AmountFen, len(targets))
		for i, tg := range targets {
			var person any
			if tg.person != 0 {
				person = tg.person
			}
			if _, err := t.exec(ctx, `INSERT INTO fund_targets (entry_id, household_id, person_id, place_code, share_fen) VALUES (?, ?, ?, ?, ?)`,
				id, tg.household, person, tg.place, shares[i]); err != nil {
				return fmt.Errorf("sqlstore: fund targets: %w", err)
			}
		}
		for i, d := range docs {
			if err := s.insertFundDocument(ctx, t, a, id, d, types[i]); err != nil {
				return err
			}
		}
		return s.audit(ctx, t, a, auditRec{action: "funds.entry", objType: "fund_source", objID: fmt.Sprint(sourceID), place: src.place,
			detail: map[string]any{"fund_entry": e.Kind, "amount_fen": e.AmountFen, "targets": len(targets)}})
	})
	if errors.Is(err, errFundDup) {
		err = s.read(ctx, func(t *tx) error {
			return t.queryRow(ctx, `SELECT id FROM fund_entries WHERE client_id = ?`, clientID).Scan(&id)
		})
		return id, true, err
	}
	return id, dup, err
}

// applyFundBalance moves the running balance by an entry of kind and
// signed amount, each step guarded by its rule in the UPDATE itself: a
// concurrent write that got there first makes the guard fail here, and
// the answer is the rule's message on the balance as it now is.
func (s *Store) applyFundBalance(ctx context.Context, t *tx, sourceID int64, kind string, amount, allocation int64) error {
	guarded := func(q string, args ...any) (bool, error) {
		res, err := t.exec(ctx, q, args...)
		if err != nil {
			return false, fmt.Errorf("sqlstore: fund balance: %w", err)
		}
		n, err := res.RowsAffected()
		return n == 1, err
	}
	var ok bool
	var err error
	switch kind {
	case funds.Receipt:
		ok, err = guarded(`UPDATE fund_sources SET received_fen = received_fen + ?, entries = entries + 1
			WHERE id = ? AND received_fen + ? >= allocated_fen`, amount, sourceID, amount)
	case funds.Allocation:
		ok, err = guarded(`UPDATE fund_sources SET allocated_fen = allocated_fen + ?, entries = entries + 1
			WHERE id = ? AND allocated_fen + ? <= received_fen AND allocated_fen + ? >= spent_fen`, amount, sourceID, amount, amount)
	case funds.Spend:
		ok, err = guarded(`UPDATE fund_allocations SET spent_fen = spent_fen + ? WHERE entry_id = ? AND reversed = 0
			AND spent_fen + ? <= amount_fen AND spent_fen + ? >= 0`, amount, allocation, amount, amount)
		if ok && err == nil {
			ok, err = guarded(`UPDATE fund_sources SET spent_fen = spent_fen + ?, entries = entries + 1 WHERE id = ?`, amount, sourceID)
		}
	case funds.InKind:
		ok, err = guarded(`UPDATE fund_sources SET inkind_fen = inkind_fen + ?, entries = entries + 1 WHERE id = ?`, amount, sourceID)
	}
	if err != nil {
		return err
	}
	if ok {
		return nil
	}
	// Someone else's write came first: say what the balance allows now.
	var b funds.Balance
	if err := t.queryRow(ctx, `SELECT received_fen, allocated_fen, spent_fen FROM fund_sources WHERE id = ?`, sourceID).
		Scan(&b.Received, &b.Allocated, &b.Spent); err != nil {
		return fmt.Errorf("sqlstore: fund balance: %w", err)
	}
	switch kind {
	case funds.Receipt:
		if err := funds.CheckReversal(funds.Original{Kind: kind, AmountFen: -amount, Balance: b}, "冲销"); err != nil {
			return err
		}
	case funds.Allocation:
		if amount > 0 {
			if err := funds.CheckAllocate(b, amount); err != nil {
				return err
			}
		}
	case funds.Spend:
		var am, sp int64
		if err := t.queryRow(ctx, `SELECT amount_fen, spent_fen FROM fund_allocations WHERE entry_id = ?`, allocation).Scan(&am, &sp); err == nil && amount > 0 {
			if err := funds.CheckSpend(am, sp, amount); err != nil {
				return err
			}
		}
	}
	return safetynet.Conflict("amount", "余额已被他人同时变动，请刷新后重试", "the balance was changed by someone else meanwhile: reload and try again")
}

func (s *Store) insertFundDocument(ctx context.Context, t *tx, a access.Actor, entryID int64, d FundDocument, contentType string) error {
	sum := sha256.Sum256(d.Data)
	name := strings.TrimSpace(d.Name)
	if name == "" {
		name = "附件"
	}
	if _, err := t.exec(ctx, `INSERT INTO fund_documents (entry_id, name, content_type, size, sha256, data, username, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		entryID, name, contentType, len(d.Data), hex.EncodeToString(sum[:]), d.Data, a.Username, ms(s.now())); err != nil {
		return fmt.Errorf("sqlstore: fund document: %w", err)
	}
	return nil
}
