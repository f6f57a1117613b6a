package register

import (
	"time"

	"safetynet"
)

// Move moves active persons into another household: a person joining
// relatives, or the members of a household being merged.
type Move struct {
	Persons  []int64
	To       int64
	Relation string    // relation to the new head; "other" if empty
	Date     time.Time // zero means today
	NewHead  int64     // the new head of the old household, if its head leaves
}

// CheckMove validates a move before anything is read and fills in its
// defaults: the relation "other", the date today. Nobody moves in as the
// head: a household's head changes by "make head".
func CheckMove(m Move, today time.Time) (Move, error) {
	if len(m.Persons) == 0 {
		return m, safetynet.Invalid("persons", "请选择要迁移的人员", "choose the persons to move")
	}
	if m.Relation == "" {
		m.Relation = "other"
	}
	if !safetynet.Relations.Valid(m.Relation) || m.Relation == "head" {
		return m, safetynet.Invalid("relation", "与户主关系无效", "invalid relation")
	}
	if m.Date.IsZero() {
		m.Date = today
	}
	return m, nil
}

// CheckMoveTarget refuses a move into a household no longer active.
func CheckMoveTarget(to safetynet.Household) error {
	if to.Status != safetynet.StatusActive {
		return safetynet.Invalid("to", "目标家庭已合并或注销", "the target household was merged or dissolved")
	}
	return nil
}

// CheckMover refuses to move a person no longer active or already in the
// target household.
func CheckMover(p safetynet.Person, to safetynet.Household) error {
	if p.Status != safetynet.StatusActive {
		return safetynet.Invalid("persons", "%s 已不在册，不能迁移", "%s is no longer active", p.Name)
	}
	if p.HouseholdID == to.ID {
		return safetynet.Invalid("persons", "%s 已在该家庭中", "%s is already in this household", p.Name)
	}
	return nil
}

// DecidesOldHousehold reports whether mover p, rather than the one already
// chosen (chosen false when none is), stands for the household p leaves
// when its head is fixed afterwards: the head, if they leave, decides the
// old household's fate.
func DecidesOldHousehold(p safetynet.Person, chosen bool) bool {
	return !chosen || p.Relation == "head"
}

// CheckSplit validates a split (分户): the new head must be one of the
// members who leave.
func CheckSplit(members []int64, head int64) error {
	for _, m := range members {
		if m == head {
			return nil
		}
	}
	return safetynet.Invalid("head", "新户主必须是分出的成员之一", "the new head must be one of the members who leave")
}

// CheckSplitMember refuses a member of another household than the one
// being split (household is the member's, from the one split).
func CheckSplitMember(household, from int64) error {
	if household != from {
		return safetynet.Invalid("members", "分户的成员必须属于原家庭", "the members must belong to the household being split")
	}
	return nil
}

// CheckMerge validates a merge (合户) before anything is read.
func CheckMerge(into, from int64) error {
	if into == from {
		return safetynet.Invalid("into", "不能与自己合户", "a household cannot merge with itself")
	}
	return nil
}

// CheckMergeable refuses to merge households unless both are active.
func CheckMergeable(dst, src safetynet.Household) error {
	if dst.Status != safetynet.StatusActive || src.Status != safetynet.StatusActive {
		return safetynet.Invalid("into", "只能合并在册的家庭", "only active households can merge")
	}
	return nil
}

// MergeEndReason is the EndReasons code with which the categories of a
// household merged into another end.
const MergeEndReason = "changed"
