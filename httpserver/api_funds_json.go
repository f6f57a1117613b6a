package httpserver

import (
	"time"

	"safetynet/funds"
	"safetynet/sqlstore"
)

type fundBalanceJSON struct {
	ReceivedFen    int64  `json:"received_fen"`
	AllocatedFen   int64  `json:"allocated_fen"`
	SpentFen       int64  `json:"spent_fen"`
	UnallocatedFen int64  `json:"unallocated_fen"`
	UnspentFen     int64  `json:"unspent_fen"`
	InKindFen      int64  `json:"inkind_fen"`
	Received       string `json:"received"`
	Unallocated    string `json:"unallocated"`
}

type fundSourceJSON struct {
	ID        int64           `json:"id"`
	Name      string          `json:"name"`
	Kind      string          `json:"kind"`
	KindName  string          `json:"kind_name"`
	Donor     string          `json:"donor,omitempty"`
	PlaceCode string          `json:"place_code"`
	PlaceName string          `json:"place_name"`
	Note      string          `json:"note,omitempty"`
	Balance   fundBalanceJSON `json:"balance"`
	Entries   int             `json:"entries"`
	CanManage bool            `json:"can_manage"`
	CreatedAt time.Time       `json:"created_at"`
}

type fundSourceListJSON struct {
	Items []fundSourceJSON `json:"items"`
}

type fundTargetJSON struct {
	HouseholdID int64  `json:"household_id,omitempty"`
	PersonID    int64  `json:"person_id,omitempty"`
	Name        string `json:"name"`
	Visible     bool   `json:"visible"`
	ShareFen    int64  `json:"share_fen"`
}

type fundDocumentJSON struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
}

type fundEntryJSON struct {
	ID           int64              `json:"id"`
	Kind         string             `json:"kind"`
	AmountFen    int64              `json:"amount_fen"`
	Amount       string             `json:"amount"`
	Date         string             `json:"date"`
	DocNo        string             `json:"doc_no,omitempty"`
	Payee        string             `json:"payee,omitempty"`
	Note         string             `json:"note,omitempty"`
	Target       string             `json:"target,omitempty"`
	Measure      string             `json:"measure,omitempty"`
	MeasureName  string             `json:"measure_name,omitempty"`
	Item         string             `json:"item,omitempty"`
	Quantity     int64              `json:"quantity,omitempty"`
	UnitPriceFen int64              `json:"unit_price_fen,omitempty"`
	AllocationID int64              `json:"allocation_id,omitempty"`
	SpentFen     int64              `json:"spent_fen,omitempty"`
	ReversesID   int64              `json:"reverses_id,omitempty"`
	ReversedBy   int64              `json:"reversed_by,omitempty"`
	Reason       string             `json:"reason,omitempty"`
	By           string             `json:"by"`
	At           time.Time          `json:"at"`
	Targets      []fundTargetJSON   `json:"targets"`
	Documents    []fundDocumentJSON `json:"documents"`
}

type fundSourceDetailJSON struct {
	fundSourceJSON
	Ledger []fundEntryJSON `json:"ledger"`
	More   bool            `json:"more"`
}

type fundCreatedJSON struct {
	ID        int64 `json:"id"`
	Duplicate bool  `json:"duplicate"`
}

type fundSumsJSON struct {
	ReceivedFen  int64 `json:"received_fen"`
	AllocatedFen int64 `json:"allocated_fen"`
	SpentFen     int64 `json:"spent_fen"`
	InKindFen    int64 `json:"inkind_fen"`
}

type fundFigureRowJSON struct {
	Key      string       `json:"key"`
	Name     string       `json:"name"`
	Current  fundSumsJSON `json:"current"`
	Previous fundSumsJSON `json:"previous"`
}

type fundFiguresJSON struct {
	PlaceCode      string              `json:"place_code"`
	PlaceName      string              `json:"place_name"`
	Period         string              `json:"period"`
	PreviousPeriod string              `json:"previous_period"`
	From           string              `json:"from"`
	To             string              `json:"to"`
	Total          fundFigureRowJSON   `json:"total"`
	ByKind         []fundFigureRowJSON `json:"by_kind"`
	ByPlace        []fundFigureRowJSON `json:"by_place"`
	Households     int                 `json:"households"`
	Reached        fundFigureRowJSON   `json:"reached"`
}

type householdFundLineJSON struct {
	EntryID     int64  `json:"entry_id"`
	SourceID    int64  `json:"source_id"`
	SourceName  string `json:"source_name"`
	SourceKind  string `json:"source_kind"`
	Kind        string `json:"kind"`
	Target      string `json:"target"`
	Item        string `json:"item,omitempty"`
	MeasureName string `json:"measure_name,omitempty"`
	Date        string `json:"date"`
	PersonName  string `json:"person_name,omitempty"`
	ShareFen    int64  `json:"share_fen"`
	Reversed    bool   `json:"reversed"`
}

type householdFundsJSON struct {
	MoneyFen  int64                   `json:"money_fen"`
	InKindFen int64                   `json:"inkind_fen"`
	Lines     []householdFundLineJSON `json:"lines"`
}

func toFundSourceJSON(x sqlstore.FundSource, lang string) fundSourceJSON {
	return fundSourceJSON{ID: x.ID, Name: x.Name, Kind: x.Kind, KindName: kindName(x.Kind, lang), Donor: x.Donor, PlaceCode: x.PlaceCode,
		PlaceName: x.PlaceName, Note: x.Note, Entries: x.Entries, CanManage: x.CanManage, CreatedAt: x.CreatedAt,
		Balance: fundBalanceJSON{ReceivedFen: x.Received, AllocatedFen: x.Allocated, SpentFen: x.Spent, UnallocatedFen: x.Unallocated(),
			UnspentFen: x.Unspent(), InKindFen: x.InKind, Received: funds.Yuan(x.Received), Unallocated: funds.Yuan(x.Unallocated())}}
}

func kindName(kind, lang string) string {
	return (&page{Lang: lang}).T("funds.kind." + kind)
}

func toFundEntryJSON(e sqlstore.FundEntry, lang string) fundEntryJSON {
	out := fundEntryJSON{ID: e.ID, Kind: e.Kind, AmountFen: e.AmountFen, Amount: funds.Yuan(e.AmountFen), Date: e.On.Format("2006-01-02"),
		DocNo: e.DocNo, Payee: e.Payee, Note: e.Note, Target: e.Target, Measure: e.Measure, MeasureName: measureName(e.MeasureZH, e.MeasureEN, lang),
		Item: e.Item, Quantity: e.Quantity, UnitPriceFen: e.UnitPriceFen, AllocationID: e.AllocationID, ReversesID: e.ReversesID,
		ReversedBy: e.ReversedBy, Reason: e.Reason, By: e.By, At: e.At, Targets: []fundTargetJSON{}, Documents: []fundDocumentJSON{}}
	if e.Kind == funds.Allocation {
		out.SpentFen = e.SpentFen
	}
	for _, t := range e.Targets {
		out.Targets = append(out.Targets, fundTargetJSON{HouseholdID: t.HouseholdID, PersonID: t.PersonID, Name: t.Name, Visible: t.Name != "",
			ShareFen: t.ShareFen})
	}
	for _, d := range e.Documents {
		out.Documents = append(out.Documents, fundDocumentJSON{ID: d.ID, Name: d.Name, ContentType: d.ContentType, Size: d.Size})
	}
	return out
}
