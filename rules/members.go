package rules

import (
	"reflect"

	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/common/types/traits"
)

// memberList is h.members (or h.former_members) as a CEL list, read in
// place: binding it and visiting its members allocates almost nothing.
type memberList []Member

func (l *memberList) ConvertToNative(t reflect.Type) (any, error) { return convertTo([]Member(*l), t) }

func (l *memberList) ConvertToType(t ref.Type) ref.Val {
	switch t {
	case types.ListType:
		return l
	case types.TypeType:
		return types.ListType
	}
	return types.NewErr("type conversion error from list to '%s'", t.TypeName())
}

func (l *memberList) Equal(other ref.Val) ref.Val {
	o, ok := other.(traits.Lister)
	if !ok || o.Size() != l.Size() {
		return types.False
	}
	for i := range *l {
		if o.Get(types.Int(i)).Equal((*mRef)(&(*l)[i])) != types.True {
			return types.False
		}
	}
	return types.True
}

func (l *memberList) Type() ref.Type { return types.ListType }
func (l *memberList) Value() any     { return []Member(*l) }
func (l *memberList) Size() ref.Val  { return types.Int(len(*l)) }

func (l *memberList) refs() ref.Val {
	vals := make([]ref.Val, len(*l))
	for i := range *l {
		vals[i] = (*mRef)(&(*l)[i])
	}
	return types.NewRefValList(types.DefaultTypeAdapter, vals)
}

func (l *memberList) Add(other ref.Val) ref.Val { return l.refs().(traits.Adder).Add(other) }

func (l *memberList) Contains(v ref.Val) ref.Val {
	for i := range *l {
		if (*mRef)(&(*l)[i]).Equal(v) == types.True {
			return types.True
		}
	}
	return types.False
}

func (l *memberList) Get(index ref.Val) ref.Val {
	i, ok := index.(types.Int)
	if !ok {
		return types.MaybeNoSuchOverloadErr(index)
	}
	if i < 0 || int(i) >= len(*l) {
		return types.NewErr("index out of range: %d", int64(i))
	}
	return (*mRef)(&(*l)[i])
}

func (l *memberList) Iterator() traits.Iterator { return &memberIter{l: *l} }

// Fold implements traits.Foldable: comprehensions visit the members in
// place.
func (l *memberList) Fold(f traits.Folder) {
	for i := range *l {
		if !f.FoldEntry(types.Int(i), (*mRef)(&(*l)[i])) {
			return
		}
	}
}

// memberIter visits a memberList.
type memberIter struct {
	l []Member
	i int
}

func (it *memberIter) ConvertToNative(t reflect.Type) (any, error) {
	return nil, types.NewErr("no conversion of an iterator").(error)
}
func (it *memberIter) ConvertToType(ref.Type) ref.Val {
	return types.NewErr("no conversion of an iterator")
}
func (it *memberIter) Equal(ref.Val) ref.Val { return types.NewErr("no equality of an iterator") }
func (it *memberIter) Type() ref.Type        { return types.IteratorType }
func (it *memberIter) Value() any            { return nil }
func (it *memberIter) HasNext() ref.Val      { return types.Bool(it.i < len(it.l)) }

func (it *memberIter) Next() ref.Val {
	if it.i >= len(it.l) {
		return nil
	}
	m := (*mRef)(&it.l[it.i])
	it.i++
	return m
}
