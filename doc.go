// Package safetynet holds the domain of the safetynet platform for grassroots
// social assistance: places and their hierarchy, the people who log in and
// their roles, audit entries, and the errors every layer shares.
//
// The package imports neither net/http nor database/sql. It is the kernel
// the capabilities share; each capability's decisions live in a package of
// its own (register, relay), access decisions in access, storage in
// sqlstore, background loops in jobs, the HTTP surfaces in httpserver. The
// README's Architecture section maps each capability to its packages,
// storage files, pages and loops.
package safetynet
