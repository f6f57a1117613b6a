package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"safetynet"
	"safetynet/idcard"
	"safetynet/sqlstore"
	"safetynet/volunteering"
)

// LoadVolunteering adds a meal-delivery relay (接龙) in 腰站社区 for 高秀珍,
// an elderly woman living alone in the first grid: lunch and dinner for
// two weeks from today and a daily care visit. The volunteer 刘洋 holds the
// next two meals, the neighbour 王大姐 (signed up by the relay's link) the
// one after, and both are members of the community's volunteer team.
func LoadVolunteering(ctx context.Context, s *sqlstore.Store) error {
	as, err := demoActors(ctx, s, "volunteering", "village", "volunteer")
	if err != nil {
		return err
	}
	village, volunteer := as[0], as[1]
	rng := rand.New(rand.NewPCG(14, 14))
	hh, err := s.CreateHousehold(ctx, village, safetynet.HouseholdInput{PlaceCode: Yaozhan + "-01-01", Address: "棠梨湾12号"},
		safetynet.PersonInput{Name: "高秀珍", IDNumber: idcard.Generate(rng, Fuyuan, time.Date(1943, 8, 9, 0, 0, 0, 0, time.UTC), idcard.Female)})
	if err != nil {
		return fmt.Errorf("demo: volunteering household: %w", err)
	}
	today := s.Now().In(volunteering.Zone)
	from, to := today.Format(volunteering.DateLayout), today.AddDate(0, 0, 13).Format(volunteering.DateLayout)
	id, _, err := s.CreateVolunteerRelay(ctx, village, sqlstore.VolunteerRelayInput{ClientID: "demo-relay-1", HouseholdID: hh,
		Relay: volunteering.Relay{Title: "暖邻相伴爱心送餐", ShortName: "高奶奶", Address: "棠梨湾12号", Note: "老人腿脚不便，敲门后请稍等",
			Tasks: []volunteering.Task{
				{Kind: volunteering.KindMeal, Title: "午餐、晚餐送餐", Bring: "热饭菜一份（少盐少油）", From: from, To: to,
					Windows: []volunteering.Window{{Start: 11 * 60, End: 12 * 60}, {Start: 17 * 60, End: 18 * 60}}, PerSlot: 1},
				{Kind: volunteering.KindCare, Title: "照护起居", Bring: "帮助洗漱、打扫、陪伴聊天", From: from, To: to,
					Windows: []volunteering.Window{{Start: 9 * 60, End: 10 * 60}}, PerSlot: 1},
			}}})
	if err != nil {
		return fmt.Errorf("demo: volunteering relay: %w", err)
	}
	token, err := s.NewVolunteerLink(ctx, village, id)
	if err != nil {
		return err
	}
	device, err := s.SignupNeighbour(ctx, token, "王大姐", "13800000012")
	if err != nil {
		return fmt.Errorf("demo: volunteering neighbour: %w", err)
	}
	v, err := s.VolunteerRelay(ctx, village, id)
	if err != nil {
		return err
	}
	takers := []sqlstore.Taker{sqlstore.UserTaker(volunteer), sqlstore.UserTaker(volunteer), sqlstore.DeviceTaker(token, device)}
	for _, sl := range v.Slots {
		if len(takers) == 0 {
			break
		}
		if sl.Kind != volunteering.KindMeal || !sl.Start.After(s.Now()) {
			continue
		}
		if _, err := s.TakeSlot(ctx, takers[0], sl.ID); err != nil {
			return fmt.Errorf("demo: volunteering take: %w", err)
		}
		takers = takers[1:]
	}
	team, err := s.CreateVolunteerTeam(ctx, village, "腰站社区暖邻志愿队", "")
	if err != nil {
		return err
	}
	vs, err := s.Volunteers(ctx, village)
	if err != nil {
		return err
	}
	for _, m := range vs {
		if err := s.SetTeamMember(ctx, village, team, m.ID, true); err != nil {
			return err
		}
	}
	return nil
}
