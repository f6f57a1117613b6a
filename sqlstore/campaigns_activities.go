package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"safetynet"
	"safetynet/access"
	"safetynet/campaigns"
	"safetynet/services"
)

// RecordCampaignActivity records an activity of a running campaign held
// by a village against one of its work items, with the persons of the
// register who took part (of the village) and an optional photo. Only a
// user of the village itself (or below it, or an administrator) records
// for it. Sending the same client ID again returns the activity already
// recorded (created false).
func (s *Store) RecordCampaignActivity(ctx context.Context, a access.Actor, in campaigns.Activity) (campaigns.Activity, bool, error) {
	if err := a.Require(access.CampaignWork); err != nil {
		return in, false, err
	}
	if len(in.Photo) > 0 {
		if err := services.CheckImage(in.Photo, safetynet.MaxPhoto, "photo"); err != nil {
			return in, false, err
		}
	}
	var id int64
	created := false
	err := s.write(ctx, func(t *tx) error {
		c, err := s.campaignRow(ctx, t, a, in.CampaignID)
		if err != nil {
			return err
		}
		var by string
		err = t.queryRow(ctx, `SELECT id, recorded_by FROM campaign_activities WHERE client_id = ?`, in.ClientID).Scan(&id, &by)
		switch {
		case err == nil && by != a.Username:
			return safetynet.Conflict("client_id", "记录编号已被使用", "this client_id belongs to another record")
		case err == nil:
			return nil
		case !errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("sqlstore: activity lookup: %w", err)
		}
		if c.Status != campaigns.StatusRunning {
			return safetynet.Conflict("campaign_id", "行动不在进行中，不能登记活动", "the campaign is not under way")
		}
		if _, err := s.campaignVillage(ctx, t, a, c.ID, in.VillageCode); err != nil {
			return err
		}
		if a.Role != safetynet.RoleAdmin {
			var own int
			if err := t.queryRow(ctx, `SELECT COUNT(*) FROM place_tree WHERE ancestor = ? AND descendant = ?`, in.VillageCode, a.Place).Scan(&own); err != nil {
				return fmt.Errorf("sqlstore: activity village: %w", err)
			}
			if own == 0 {
				return safetynet.Text(safetynet.EForbidden, "village_code", "只有本村的人员可以登记本村的活动", "only the village's own staff record its activities")
			}
		}
		if in, err = campaigns.CheckActivity(in, c, campaigns.Today(s.now())); err != nil {
			return err
		}
		var n int
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM campaign_items WHERE id = ? AND campaign_id = ?`, in.ItemID, c.ID).Scan(&n); err != nil {
			return fmt.Errorf("sqlstore: activity item: %w", err)
		}
		if n == 0 {
			return safetynet.Invalid("item_id", "本行动没有这项工作内容", "no such work item in the campaign")
		}
		for _, p := range in.PersonIDs {
			if err := t.queryRow(ctx, `SELECT COUNT(*) FROM persons pe
				JOIN place_tree pt ON pt.ancestor = ? AND pt.descendant = pe.place_code WHERE pe.id = ?`, in.VillageCode, p).Scan(&n); err != nil {
				return fmt.Errorf("sqlstore: activity person: %w", err)
			}
			if n == 0 {
				return safetynet.Invalid("person_ids", "参与人员须是本村登记的人", "the persons are of the village's register")
			}
		}
		var photo any
		if len(in.Photo) > 0 {
			photo = in.Photo
		}
		if err := t.queryRow(ctx, `INSERT INTO campaign_activities (client_id, campaign_id, item_id, village_code, title, held_on, venue, participants, note,
			photo, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			in.ClientID, c.ID, in.ItemID, in.VillageCode, in.Title, in.HeldOn, in.Venue, in.Participants, in.Note, photo, a.Username, s.now().Unix()).Scan(&id); err != nil {
			return fmt.Errorf("sqlstore: insert activity: %w", err)
		}
		seen := map[int64]bool{}
		for _, p := range in.PersonIDs {
			if seen[p] {
				continue
			}
			seen[p] = true
			if _, err := t.exec(ctx, `INSERT INTO campaign_activity_persons (activity_id, person_id) VALUES (?, ?)`, id, p); err != nil {
				return fmt.Errorf("sqlstore: activity person: %w", err)
			}
		}
		// The village has begun the stage under way.
		if _, err := t.exec(ctx, `UPDATE campaign_village_stages SET status = 'in_progress', started_at = ?, version = version + 1
			WHERE campaign_id = ? AND village_code = ? AND status = 'not_started' AND stage_id IN (SELECT id FROM campaign_stages
				WHERE campaign_id = ? AND kind = ? AND starts_on <= ? AND ends_on >= ?)`,
			s.now().Unix(), c.ID, in.VillageCode, c.ID, campaigns.StageCarryOut, in.HeldOn, in.HeldOn); err != nil {
			return fmt.Errorf("sqlstore: village stage started: %w", err)
		}
		created = true
		return s.audit(ctx, t, a, auditRec{action: "campaign.activity", objType: "campaign_activity", objID: fmt.Sprint(id), place: in.VillageCode,
			detail: map[string]any{"campaign_id": c.ID, "item_id": in.ItemID, "title": in.Title, "held_on": in.HeldOn, "participants": in.Participants,
				"persons": len(seen), "photo": len(in.Photo) > 0}})
	})
	if err != nil {
		return in, false, err
	}
	act, err := s.CampaignActivity(ctx, a, id)
	return act, created, err
}

const activityCols = `x.id, x.client_id, x.campaign_id, x.item_id, COALESCE(i.title, ''), x.village_code, COALESCE(p.name, ''), x.title, x.held_on,
	x.venue, x.participants, x.note, CASE WHEN x.photo IS NULL THEN 0 ELSE 1 END, x.recorded_by, x.recorded_at`

func scanActivity(sc interface{ Scan(...any) error }) (campaigns.Activity, error) {
	var x campaigns.Activity
	var photo int
	err := sc.Scan(&x.ID, &x.ClientID, &x.CampaignID, &x.ItemID, &x.ItemTitle, &x.VillageCode, &x.VillageName, &x.Title, &x.HeldOn,
		&x.Venue, &x.Participants, &x.Note, &photo, &x.RecordedBy, &x.RecordedAt)
	x.HasPhoto = photo == 1
	x.PersonIDs, x.PersonNames = []int64{}, []string{}
	return x, err
}

// activityVisible limits activities (alias x) to those of villages the
// actor sees: in the actor's area, or holding the actor's place.
func activityVisible(a access.Actor) (string, []any) {
	return `(EXISTS (SELECT 1 FROM place_tree ax WHERE ax.ancestor = ? AND ax.descendant = x.village_code)
		OR EXISTS (SELECT 1 FROM place_tree ay WHERE ay.ancestor = x.village_code AND ay.descendant = ?))`, []any{a.Place, a.Place}
}

// CampaignActivity returns one activity the actor sees, with the persons
// named, by name.
func (s *Store) CampaignActivity(ctx context.Context, a access.Actor, id int64) (campaigns.Activity, error) {
	if err := a.Require(access.CampaignView); err != nil {
		return campaigns.Activity{}, err
	}
	var x campaigns.Activity
	err := s.read(ctx, func(t *tx) error {
		vis, args := activityVisible(a)
		var err error
		x, err = scanActivity(t.queryRow(ctx, `SELECT `+activityCols+` FROM campaign_activities x LEFT JOIN campaign_items i ON i.id = x.item_id
			LEFT JOIN places p ON p.code = x.village_code WHERE x.id = ? AND `+vis, append([]any{id}, args...)...))
		if errors.Is(err, sql.ErrNoRows) {
			return safetynet.NotFound("没有这条活动记录", "no such activity")
		}
		if err != nil {
			return fmt.Errorf("sqlstore: activity: %w", err)
		}
		if _, err := s.campaignRow(ctx, t, a, x.CampaignID); err != nil {
			return err
		}
		rows, err := t.query(ctx, `SELECT ap.person_id, COALESCE(pe.name, '') FROM campaign_activity_persons ap LEFT JOIN persons pe ON pe.id = ap.person_id
			WHERE ap.activity_id = ? ORDER BY ap.person_id`, id)
		if err != nil {
			return fmt.Errorf("sqlstore: activity persons: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var pid int64
			var name string
			if err := rows.Scan(&pid, &name); err != nil {
				return err
			}
			x.PersonIDs = append(x.PersonIDs, pid)
			x.PersonNames = append(x.PersonNames, name)
		}
		x.RecordedBy = s.displayNameOf(ctx, t, x.RecordedBy)
		return rows.Err()
	})
	return x, err
}

// CampaignActivityPhoto returns an activity's photo, if the actor sees
// the activity.
func (s *Store) CampaignActivityPhoto(ctx context.Context, a access.Actor, id int64) ([]byte, error) {
	if _, err := s.CampaignActivity(ctx, a, id); err != nil {
		return nil, err
	}
	var b []byte
	err := s.read(ctx, func(t *tx) error {
		return t.queryRow(ctx, `SELECT photo FROM campaign_activities WHERE id = ?`, id).Scan(&b)
	})
	if err != nil || len(b) == 0 {
		return nil, safetynet.NotFound("没有照片", "no photo")
	}
	return b, nil
}

// CampaignActivities lists a campaign's activities the actor sees, of one
// village when village is not empty, newest first (at most 500).
func (s *Store) CampaignActivities(ctx context.Context, a access.Actor, id int64, village string) ([]campaigns.Activity, error) {
	if err := a.Require(access.CampaignView); err != nil {
		return nil, err
	}
	var out []campaigns.Activity
	err := s.read(ctx, func(t *tx) error {
		if _, err := s.campaignRow(ctx, t, a, id); err != nil {
			return err
		}
		vis, args := activityVisible(a)
		q := `SELECT ` + activityCols + ` FROM campaign_activities x LEFT JOIN campaign_items i ON i.id = x.item_id
			LEFT JOIN places p ON p.code = x.village_code WHERE x.campaign_id = ? AND ` + vis
		args = append([]any{id}, args...)
		if village != "" {
			q += ` AND x.village_code = ?`
			args = append(args, village)
		}
		rows, err := t.query(ctx, q+` ORDER BY x.held_on DESC, x.id DESC LIMIT 500`, args...)
		if err != nil {
			return fmt.Errorf("sqlstore: activities: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			x, err := scanActivity(rows)
			if err != nil {
				return err
			}
			out = append(out, x)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		names := map[string]string{}
		for i := range out {
			by := out[i].RecordedBy
			if _, ok := names[by]; !ok {
				names[by] = s.displayNameOf(ctx, t, by)
			}
			out[i].RecordedBy = names[by]
		}
		return nil
	})
	return out, err
}

// CampaignVillagePersons lists persons of a village's register whose name
// contains q (at most 30), for picking the persons of an activity.
func (s *Store) CampaignVillagePersons(ctx context.Context, a access.Actor, id int64, village, q string) ([]PersonPick, error) {
	if err := a.Require(access.CampaignWork); err != nil {
		return nil, err
	}
	var out []PersonPick
	err := s.read(ctx, func(t *tx) error {
		if _, err := s.campaignRow(ctx, t, a, id); err != nil {
			return err
		}
		if _, err := s.campaignVillage(ctx, t, a, id, village); err != nil {
			return err
		}
		rows, err := t.query(ctx, `SELECT pe.id, pe.name FROM persons pe
			JOIN place_tree pt ON pt.ancestor = ? AND pt.descendant = pe.place_code
			WHERE pe.status = 'active' AND pe.name LIKE ? ESCAPE '\' ORDER BY pe.name, pe.id LIMIT 30`, village, "%"+likeEscape(q)+"%")
		if err != nil {
			return fmt.Errorf("sqlstore: village persons: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var p PersonPick
			if err := rows.Scan(&p.ID, &p.Name); err != nil {
				return err
			}
			out = append(out, p)
		}
		return rows.Err()
	})
	return out, err
}

// PersonPick is a person offered by name.
type PersonPick struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// CampaignPersonsByName finds, for each name, the one active person of
// the village's register so named; a name nobody or several people bear
// is refused, naming it.
func (s *Store) CampaignPersonsByName(ctx context.Context, a access.Actor, id int64, village string, names []string) ([]int64, error) {
	if err := a.Require(access.CampaignWork); err != nil {
		return nil, err
	}
	var out []int64
	err := s.read(ctx, func(t *tx) error {
		if _, err := s.campaignRow(ctx, t, a, id); err != nil {
			return err
		}
		if _, err := s.campaignVillage(ctx, t, a, id, village); err != nil {
			return err
		}
		for _, n := range names {
			ids, err := queryIDs(ctx, t, `SELECT pe.id FROM persons pe JOIN place_tree pt ON pt.ancestor = ? AND pt.descendant = pe.place_code
				WHERE pe.status = 'active' AND pe.name = ? LIMIT 2`, village, n)
			if err != nil {
				return fmt.Errorf("sqlstore: person by name: %w", err)
			}
			switch len(ids) {
			case 0:
				return safetynet.Invalid("persons", "本村台账里没有“%s”", "nobody named %s in the village's register", n)
			case 2:
				return safetynet.Invalid("persons", "本村有不止一个“%s”，请在户页面核对后只写能区分的人", "more than one person named %s in the village", n)
			}
			out = append(out, ids[0])
		}
		return nil
	})
	return out, err
}
