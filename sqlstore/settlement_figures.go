package sqlstore

import (
	"context"
	"fmt"

	"safetynet"
	"safetynet/access"
	"safetynet/settlement"
)

// ServiceCounts are the services of a place and period.
type ServiceCounts struct {
	Services   int // person-times (人次): services recorded
	Households int // households served
	Reviewed   int // accepted or rejected
	Rejected   int
	SettledFen int64 // accepted services of approved months
}

// VerifiedRate is the share of services reviewed, in percent.
func (c ServiceCounts) VerifiedRate() float64 { return settlement.Rate(c.Reviewed, c.Services) }

// RejectedRate is the share of reviewed services rejected, in percent.
func (c ServiceCounts) RejectedRate() float64 { return settlement.Rate(c.Rejected, c.Reviewed) }

// ServiceGroupCounts are a type's or a provider's services, both periods.
type ServiceGroupCounts struct {
	Key      string // the service type, or the organisation's name
	Current  ServiceCounts
	Previous ServiceCounts
}

// ServicePlaceFigures are a place's figures, both periods.
type ServicePlaceFigures struct {
	Place    safetynet.Place
	Current  ServiceCounts
	Previous ServiceCounts
}

// ServiceFigures are the figures of a place and the places below it, for
// the months [From, To] and the same number of months before.
type ServiceFigures struct {
	From, To         string
	PrevFrom, PrevTo string
	Place            ServicePlaceFigures
	ByChild          []ServicePlaceFigures
	ByType           []ServiceGroupCounts
	ByProvider       []ServiceGroupCounts
}

// ServiceFiguresOf counts the services at place (the actor's place if
// empty) for months from..to (YYYY-MM, inclusive) beside the period of as
// many months before.
func (s *Store) ServiceFiguresOf(ctx context.Context, a access.Actor, place, from, to string) (ServiceFigures, error) {
	var f ServiceFigures
	if err := a.Require(access.ServiceView); err != nil {
		return f, err
	}
	var err error
	if f.From, err = settlement.CheckMonth("from", from); err != nil {
		return f, err
	}
	if f.To, err = settlement.CheckMonth("to", to); err != nil {
		return f, err
	}
	if f.To < f.From {
		return f, safetynet.Invalid("to", "结束月份应不早于开始月份", "the period must end after it starts")
	}
	n := 0
	for m := f.From; m <= f.To; m = settlement.AddMonths(m, 1) {
		n++
		if n > 120 {
			return f, safetynet.Invalid("from", "统计期最长120个月", "the period is at most 120 months")
		}
	}
	f.PrevFrom, f.PrevTo = settlement.AddMonths(f.From, -n), settlement.AddMonths(f.From, -1)
	if place == "" {
		place = a.Place
	}
	where, wargs := serviceWhere(a, "r")
	err = s.read(ctx, func(t *tx) error {
		p, err := s.placeInScope(ctx, t, access.Scope{Kind: access.ScopeSubtree, Place: a.Place}, place)
		if err != nil {
			return err
		}
		f.Place.Place = p
		rows, err := t.query(ctx, `SELECT `+placeColumns+` FROM places p WHERE p.parent_code = ? ORDER BY p.code`, place)
		if err != nil {
			return fmt.Errorf("sqlstore: service figures: %w", err)
		}
		for rows.Next() {
			c, err := scanPlace(rows)
			if err != nil {
				rows.Close()
				return err
			}
			f.ByChild = append(f.ByChild, ServicePlaceFigures{Place: c})
		}
		rows.Close()
		child := map[string]*ServicePlaceFigures{}
		for i := range f.ByChild {
			child[f.ByChild[i].Place.Code] = &f.ByChild[i]
		}
		types, providers := map[string]*ServiceGroupCounts{}, map[string]*ServiceGroupCounts{}
		group := func(m map[string]*ServiceGroupCounts, k string) *ServiceGroupCounts {
			if m[k] == nil {
				m[k] = &ServiceGroupCounts{Key: k}
			}
			return m[k]
		}
		for _, period := range []struct {
			from, to string
			prev     bool
		}{{f.From, f.To, false}, {f.PrevFrom, f.PrevTo, true}} {
			pick := func(cur, prev *ServiceCounts) *ServiceCounts {
				if period.prev {
					return prev
				}
				return cur
			}
			rows, err := t.query(ctx, `SELECT COALESCE((SELECT c.code FROM place_tree ct JOIN places c ON c.code = ct.ancestor
					WHERE ct.descendant = r.place_code AND c.parent_code = ?), ''), r.service_type, o.name,
				COUNT(*), COUNT(DISTINCT r.household_id),
				SUM(CASE WHEN r.review_status <> 'pending' THEN 1 ELSE 0 END),
				SUM(CASE WHEN r.review_status = 'rejected' THEN 1 ELSE 0 END),
				SUM(CASE WHEN r.review_status = 'accepted' AND sm.status = 'closed' THEN r.price_fen ELSE 0 END)
				FROM service_records r JOIN service_orgs o ON o.id = r.org_id
				LEFT JOIN settlement_months sm ON sm.org_id = r.org_id AND sm.month = r.month
				WHERE r.place_code IN (SELECT descendant FROM place_tree WHERE ancestor = ?) AND r.month >= ? AND r.month <= ? AND `+where+`
				GROUP BY 1, 2, 3`, append([]any{place, place, period.from, period.to}, wargs...)...)
			if err != nil {
				return fmt.Errorf("sqlstore: service figures: %w", err)
			}
			// Households are counted distinct per place, type and provider,
			// so the place's total over-counts a household served twice in
			// different groups; count them exactly below.
			for rows.Next() {
				var c, typ, org string
				var x ServiceCounts
				if err := rows.Scan(&c, &typ, &org, &x.Services, &x.Households, &x.Reviewed, &x.Rejected, &x.SettledFen); err != nil {
					rows.Close()
					return err
				}
				add := func(dst *ServiceCounts) {
					dst.Services += x.Services
					dst.Reviewed += x.Reviewed
					dst.Rejected += x.Rejected
					dst.SettledFen += x.SettledFen
				}
				add(pick(&f.Place.Current, &f.Place.Previous))
				if pf := child[c]; pf != nil {
					add(pick(&pf.Current, &pf.Previous))
				}
				g := group(types, typ)
				add(pick(&g.Current, &g.Previous))
				g = group(providers, org)
				add(pick(&g.Current, &g.Previous))
			}
			rows.Close()
			rows, err = t.query(ctx, `SELECT COALESCE((SELECT c.code FROM place_tree ct JOIN places c ON c.code = ct.ancestor
					WHERE ct.descendant = r.place_code AND c.parent_code = ?), ''), COUNT(DISTINCT r.household_id)
				FROM service_records r WHERE r.place_code IN (SELECT descendant FROM place_tree WHERE ancestor = ?) AND r.month >= ? AND r.month <= ? AND `+where+`
				GROUP BY 1`, append([]any{place, place, period.from, period.to}, wargs...)...)
			if err != nil {
				return fmt.Errorf("sqlstore: service figures: %w", err)
			}
			for rows.Next() {
				var c string
				var h int
				if err := rows.Scan(&c, &h); err != nil {
					rows.Close()
					return err
				}
				pick(&f.Place.Current, &f.Place.Previous).Households += h
				if pf := child[c]; pf != nil {
					pick(&pf.Current, &pf.Previous).Households = h
				}
			}
			rows.Close()
		}
		for _, typ := range settlement.TypeOrder(types) {
			f.ByType = append(f.ByType, *types[typ])
		}
		for _, org := range settlement.TypeOrder(providers) {
			f.ByProvider = append(f.ByProvider, *providers[org])
		}
		return nil
	})
	return f, err
}
