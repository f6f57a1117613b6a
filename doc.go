// Package safetynet holds the domain of the safetynet platform for grassroots
// social assistance: places and their hierarchy, the people who log in and
// their roles, audit entries, and the errors every layer shares.
//
// The package imports neither net/http nor database/sql. Storage lives in
// sqlstore, access decisions in access, the HTTP surfaces in api and web.
package safetynet
