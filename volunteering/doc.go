// Package volunteering holds the rules of volunteer relays (接龙): village
// staff open a relay for a household in need (from a case, as after seed
// 003's fall, or on their own), with tasks such as lunch and dinner
// delivery or daily care visits; each task makes one slot per time window
// per day, with a number of places (usually one). Volunteers with a login
// and neighbours who signed up through the relay's link take places
// first-come; a place is never given twice.
//
// What a volunteer sees follows the task, not the register: the short name
// the village chose (宇奶奶), the address, the time and what to bring, and
// only while the slot is active — from ActiveBefore its start until it is
// marked done or DoneGrace after its end. Never an ID number, a phone or
// a health detail.
//
// Deadlines: a taker is reminded ReminderBefore a slot starts; a slot
// still short of people EmptyAlertBefore its start alerts the village
// once. A place may be given back until the slot starts and marked done
// from DoneFrom before its start until DoneGrace after its end. Hours are
// the minutes of the slots marked done; person-times their number.
package volunteering
