package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/rules"
)

// ParamValue is the value of a declared parameter for a county and year;
// Value is nil when not set (rules reading it then fail, never match).
type ParamValue struct {
	rules.Param
	County    string
	Year      int
	Value     any // float64 (number), int64 (integer) or string (text)
	UpdatedBy string
	UpdatedAt time.Time
}

// decodeParam reads a stored parameter value of type typ.
func decodeParam(typ rules.Type, s string) (any, error) {
	switch typ {
	case rules.TypeNumber:
		return strconv.ParseFloat(s, 64)
	case rules.TypeInteger:
		return strconv.ParseInt(s, 10, 64)
	}
	return s, nil
}

// normParam converts what a caller sends (JSON numbers, digits in text)
// to the parameter's type, or says what is wrong.
func normParam(p rules.Param, v any) (any, string, error) {
	typeZH := map[rules.Type]string{rules.TypeNumber: "数字", rules.TypeInteger: "整数", rules.TypeText: "文本"}[p.Type]
	bad := safetynet.Text(safetynet.EInvalid, "value", fmt.Sprintf("参数%s的值类型不符：应为%s", p.ZH, typeZH),
		fmt.Sprintf("parameter %s must be a %s", p.Name, p.Type))
	if n, ok := v.(json.Number); ok {
		v = string(n)
	}
	if s, ok := v.(string); ok && p.Type != rules.TypeText {
		s = strings.ReplaceAll(strings.TrimSpace(s), ",", "")
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil, "", bad
		}
		v = f
	}
	switch p.Type {
	case rules.TypeNumber:
		f, ok := v.(float64)
		if i, isInt := v.(int); isInt {
			f, ok = float64(i), true
		}
		if !ok || math.IsNaN(f) || math.IsInf(f, 0) || f < 0 {
			return nil, "", bad
		}
		return f, strconv.FormatFloat(f, 'f', -1, 64), nil
	case rules.TypeInteger:
		var i int64
		switch x := v.(type) {
		case float64:
			if x != math.Trunc(x) || math.Abs(x) >= 1<<53 {
				return nil, "", bad
			}
			i = int64(x)
		case int:
			i = int64(x)
		case int64:
			i = x
		default:
			return nil, "", bad
		}
		return i, strconv.FormatInt(i, 10), nil
	case rules.TypeText:
		s, ok := v.(string)
		if !ok || len([]rune(s)) > 200 {
			return nil, "", bad
		}
		return s, s, nil
	}
	return nil, "", bad
}

// countyOf returns the county of place (place itself if a county).
func (s *Store) countyOf(ctx context.Context, t *tx, place string) (string, error) {
	code, ok, err := s.ancestorAt(ctx, t, place, safetynet.LevelCounty)
	if err != nil {
		return "", err
	}
	if !ok {
		return "", safetynet.Invalid("county", "该地区不属于任何县", "the place is in no county")
	}
	return code, nil
}

// paramValues returns the values set for the county of place and year.
func (s *Store) paramValues(ctx context.Context, t *tx, place string, year int) (rules.Params, error) {
	county, ok, err := s.ancestorAt(ctx, t, place, safetynet.LevelCounty)
	if err != nil || !ok {
		return rules.Params{}, err
	}
	return s.countyParams(ctx, t, county, year)
}

func (s *Store) countyParams(ctx context.Context, t *tx, county string, year int) (rules.Params, error) {
	rows, err := t.query(ctx, `SELECT name, type, value FROM rule_params WHERE county_code = ? AND year = ?`, county, year)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: parameters: %w", err)
	}
	defer rows.Close()
	out := rules.Params{}
	for rows.Next() {
		var name, typ, val string
		if err := rows.Scan(&name, &typ, &val); err != nil {
			return nil, err
		}
		v, err := decodeParam(rules.Type(typ), val)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: parameter %s: %w", name, err)
		}
		out[name] = v
	}
	return out, rows.Err()
}

func (s *Store) checkCounty(ctx context.Context, t *tx, a access.Actor, county string, year int) error {
	if year < 2000 || year > 2100 {
		return safetynet.Invalid("year", "年度须在2000至2100之间", "year must be between 2000 and 2100")
	}
	sc := a.Scope(access.Register)
	p, err := s.placeInScope(ctx, t, rootScope, county)
	if err != nil || p.Level != safetynet.LevelCounty {
		return safetynet.Invalid("county", "请选择一个县", "county must be a county")
	}
	// The county is in the scope, or the actor's place is inside it.
	if _, err := s.placeInScope(ctx, t, sc, county); err == nil {
		return nil
	}
	if sc.Kind == access.ScopeSubtree {
		if in, err := isDescendant(ctx, t, sc.Place, county); err == nil && in {
			return nil
		}
	}
	return errPlaceNotFound
}

// Params returns every declared parameter with its value for county and
// year.
func (s *Store) Params(ctx context.Context, a access.Actor, county string, year int) ([]ParamValue, error) {
	if err := a.Require(access.RulesView); err != nil {
		return nil, err
	}
	var out []ParamValue
	err := s.read(ctx, func(t *tx) error {
		if err := s.checkCounty(ctx, t, a, county, year); err != nil {
			return err
		}
		rows, err := t.query(ctx, `SELECT name, type, value, updated_by, updated_at FROM rule_params WHERE county_code = ? AND year = ?`,
			county, year)
		if err != nil {
			return fmt.Errorf("sqlstore: parameters: %w", err)
		}
		defer rows.Close()
		set := map[string]ParamValue{}
		for rows.Next() {
			var name, typ, val string
			var pv ParamValue
			var at int64
			if err := rows.Scan(&name, &typ, &val, &pv.UpdatedBy, &at); err != nil {
				return err
			}
			pv.UpdatedAt = fromMS(at)
			if pv.Value, err = decodeParam(rules.Type(typ), val); err != nil {
				return err
			}
			set[name] = pv
		}
		for _, p := range rules.DefaultParams {
			pv := set[p.Name]
			pv.Param, pv.County, pv.Year = p, county, year
			out = append(out, pv)
		}
		return rows.Err()
	})
	return out, err
}

// SetParam sets the value of a parameter for a county and year and queues
// the county's households for screening.
func (s *Store) SetParam(ctx context.Context, a access.Actor, county string, year int, name string, value any) error {
	if err := a.Require(access.RulesEdit); err != nil {
		return err
	}
	var decl rules.Param
	found := false
	for _, p := range rules.DefaultParams {
		if p.Name == name {
			decl, found = p, true
		}
	}
	if !found {
		return safetynet.Invalid("name", "没有名为%s的参数", "there is no parameter %s", name)
	}
	v, text, err := normParam(decl, value)
	if err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		if err := s.checkCounty(ctx, t, a, county, year); err != nil {
			return err
		}
		if _, err := s.placeInScope(ctx, t, a.Scope(access.Register), county); err != nil {
			return safetynet.Forbidden() // a town may read its county's values, not set them
		}
		now := ms(s.now())
		if _, err := t.exec(ctx, `INSERT INTO rule_params (name, county_code, year, type, value, updated_by, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (county_code, year, name) DO UPDATE SET value = excluded.value,
			updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
			name, county, year, string(decl.Type), text, a.Username, now); err != nil {
			return fmt.Errorf("sqlstore: set parameter: %w", err)
		}
		if year == s.now().Year() {
			if err := s.enqueuePlace(ctx, t, county); err != nil {
				return err
			}
		}
		return s.audit(ctx, t, a, auditRec{action: "rule.param", objType: "param", objID: county + "/" + fmt.Sprint(year) + "/" + name,
			place: county, detail: map[string]any{"name": name, "year": year, "value": v}})
	})
}
