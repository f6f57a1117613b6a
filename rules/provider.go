package rules

import (
	"fmt"
	"reflect"

	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/common/types/traits"
)

// The CEL object types of the schema.
var (
	householdType = types.NewObjectType("rules.Household", traits.FieldTesterType|traits.IndexerType)
	memberType    = types.NewObjectType("rules.Member", traits.FieldTesterType|traits.IndexerType)
	paramsType    = types.NewObjectType("rules.Params", traits.FieldTesterType|traits.IndexerType)
)

// MissingError is the value of a field or parameter that is not recorded.
// It travels through a rule like SQL's NULL (see the package doc).
type MissingError struct {
	Field string // income_per_capita, age…, or the parameter's name
	Param bool
	ZH    string // the label
	EN    string
}

// Error says which value is missing.
func (e *MissingError) Error() string {
	if e.Param {
		return fmt.Sprintf("parameter %s (%s) has no value", e.Field, e.EN)
	}
	return fmt.Sprintf("%s (%s) not recorded", e.Field, e.EN)
}

// hRef, mRef and pRef are a household, a member and the parameter values
// seen by CEL: pointer conversions, so that binding them allocates nothing.
type (
	hRef Household
	mRef Member
	pRef paramValues
)

func (o *hRef) ConvertToNative(t reflect.Type) (any, error) { return convertTo((*Household)(o), t) }
func (o *mRef) ConvertToNative(t reflect.Type) (any, error) { return convertTo((*Member)(o), t) }
func (o *pRef) ConvertToNative(t reflect.Type) (any, error) { return convertTo((*paramValues)(o), t) }

func convertTo(v any, t reflect.Type) (any, error) {
	if reflect.TypeOf(v).AssignableTo(t) {
		return v, nil
	}
	return nil, fmt.Errorf("rules: cannot convert %T to %v", v, t)
}

func (o *hRef) ConvertToType(t ref.Type) ref.Val { return convertType(o, householdType, t) }
func (o *mRef) ConvertToType(t ref.Type) ref.Val { return convertType(o, memberType, t) }
func (o *pRef) ConvertToType(t ref.Type) ref.Val { return convertType(o, paramsType, t) }

func convertType(o ref.Val, own *types.Type, t ref.Type) ref.Val {
	if t.TypeName() == own.TypeName() {
		return o
	}
	if t == types.TypeType {
		return own
	}
	return types.NewErr("type conversion error from '%s' to '%s'", own.TypeName(), t.TypeName())
}

func (o *hRef) Equal(other ref.Val) ref.Val { p, ok := other.(*hRef); return types.Bool(ok && p == o) }
func (o *mRef) Equal(other ref.Val) ref.Val { p, ok := other.(*mRef); return types.Bool(ok && p == o) }
func (o *pRef) Equal(other ref.Val) ref.Val { p, ok := other.(*pRef); return types.Bool(ok && p == o) }

func (o *hRef) Type() ref.Type { return householdType }
func (o *mRef) Type() ref.Type { return memberType }
func (o *pRef) Type() ref.Type { return paramsType }
func (o *hRef) Value() any     { return (*Household)(o) }
func (o *mRef) Value() any     { return (*Member)(o) }
func (o *pRef) Value() any     { return (*paramValues)(o) }

// IsSet and Get serve dynamic access (the checker resolves fields
// statically, so these are rarely used).
func (o *hRef) IsSet(f ref.Val) ref.Val { return isSet(staticProvider, householdType, o.Value(), f) }
func (o *mRef) IsSet(f ref.Val) ref.Val { return isSet(staticProvider, memberType, o.Value(), f) }
func (o *pRef) IsSet(f ref.Val) ref.Val { return isSet(o.prov, paramsType, o.Value(), f) }
func (o *hRef) Get(f ref.Val) ref.Val   { return get(staticProvider, householdType, o.Value(), f) }
func (o *mRef) Get(f ref.Val) ref.Val   { return get(staticProvider, memberType, o.Value(), f) }
func (o *pRef) Get(f ref.Val) ref.Val   { return get(o.prov, paramsType, o.Value(), f) }

func isSet(p *provider, t *types.Type, v any, field ref.Val) ref.Val {
	name, ok := field.(types.String)
	if !ok {
		return types.NoSuchOverloadErr()
	}
	ft, found := p.fieldType(t.TypeName(), string(name))
	if !found {
		return types.NewErr("no such field '%s'", name)
	}
	return types.Bool(ft.IsSet(v))
}

func get(p *provider, t *types.Type, v any, field ref.Val) ref.Val {
	name, ok := field.(types.String)
	if !ok {
		return types.NoSuchOverloadErr()
	}
	ft, found := p.fieldType(t.TypeName(), string(name))
	if !found {
		return types.NewErr("no such field '%s'", name)
	}
	x, err := ft.GetFrom(v)
	if err != nil {
		return types.WrapErr(err)
	}
	return x.(ref.Val)
}

// paramValues are the parameter values of one evaluation; conv holds
// those of the right type already converted, once per binding.
type paramValues struct {
	prov *provider
	vals Params
	conv map[string]ref.Val
}

func newParamValues(prov *provider, vals Params) *paramValues {
	pv := &paramValues{prov: prov, vals: vals, conv: make(map[string]ref.Val, len(vals))}
	for name, v := range vals {
		if d, ok := prov.params[name]; ok {
			if c, err := paramVal(d, v); err == nil {
				pv.conv[name] = c.(ref.Val)
			}
		}
	}
	return pv
}

// staticProvider answers household and member fields for dynamic access.
var staticProvider = &provider{}

// provider declares the schema's object types to CEL and reads their
// fields without reflection. Other types go to the embedded registry.
type provider struct {
	*types.Registry
	params map[string]Param
}

func (p *provider) FindStructType(name string) (*types.Type, bool) {
	switch name {
	case householdType.TypeName():
		return types.NewTypeTypeWithParam(householdType), true
	case memberType.TypeName():
		return types.NewTypeTypeWithParam(memberType), true
	case paramsType.TypeName():
		return types.NewTypeTypeWithParam(paramsType), true
	}
	return p.Registry.FindStructType(name)
}

func (p *provider) FindStructFieldNames(name string) ([]string, bool) {
	var out []string
	switch name {
	case householdType.TypeName():
		for _, f := range householdFields {
			out = append(out, f.Name)
		}
	case memberType.TypeName():
		for _, f := range memberFields {
			out = append(out, f.Name)
		}
	case paramsType.TypeName():
		for n := range p.params {
			out = append(out, n)
		}
	default:
		return p.Registry.FindStructFieldNames(name)
	}
	return out, true
}

func (p *provider) FindStructFieldType(structType, fieldName string) (*types.FieldType, bool) {
	if ft, ok := p.fieldType(structType, fieldName); ok {
		return ft, true
	}
	switch structType {
	case householdType.TypeName(), memberType.TypeName(), paramsType.TypeName():
		return nil, false
	}
	return p.Registry.FindStructFieldType(structType, fieldName)
}

// fieldType describes a field of the schema's types to CEL.
func (p *provider) fieldType(structType, name string) (*types.FieldType, bool) {
	switch structType {
	case householdType.TypeName():
		f, ok := hFieldByName[name]
		if !ok {
			return nil, false
		}
		return celFieldType(f.Field, f.get), true
	case memberType.TypeName():
		f, ok := mFieldByName[name]
		if !ok {
			return nil, false
		}
		return celFieldType(f.Field, f.get), true
	case paramsType.TypeName():
		if p == nil || p.params == nil {
			return nil, false
		}
		d, ok := p.params[name]
		if !ok {
			return nil, false
		}
		return &types.FieldType{
			Type: celType(Field{Type: d.Type}),
			IsSet: func(t any) bool {
				_, ok := t.(*paramValues).vals[name]
				return ok
			},
			GetFrom: func(t any) (any, error) {
				pv := t.(*paramValues)
				if v, ok := pv.conv[name]; ok {
					return v, nil
				}
				v, ok := pv.vals[name]
				if !ok {
					return nil, &MissingError{Field: name, Param: true, ZH: d.ZH, EN: d.EN}
				}
				return paramVal(d, v)
			},
		}, true
	}
	return nil, false
}

func celType(f Field) *types.Type {
	switch f.Type {
	case TypeNumber:
		return types.DoubleType
	case TypeInteger:
		return types.IntType
	case TypeText:
		return types.StringType
	case TypeBool:
		return types.BoolType
	case TypeList:
		if f.Elem == "member" {
			return types.NewListType(memberType)
		}
		return types.NewListType(types.StringType)
	}
	return types.DynType
}

// celFieldType describes one field of a household or a member to CEL: set
// when recorded, and reading an unrecorded one is a MissingError.
func celFieldType[T any](f Field, get func(*T) (ref.Val, bool)) *types.FieldType {
	return &types.FieldType{
		Type: celType(f),
		IsSet: func(t any) bool {
			_, ok := get(t.(*T))
			return ok
		},
		GetFrom: func(t any) (any, error) {
			v, ok := get(t.(*T))
			if !ok {
				return nil, &MissingError{Field: f.Name, ZH: f.ZH, EN: f.EN}
			}
			return v, nil
		},
	}
}
