package sqlstore

// SetScreenAllBeforeWrite makes ScreenAll call fn between the read of each
// chunk and its write, until the returned function is called.
func SetScreenAllBeforeWrite(fn func(ids []int64)) (restore func()) {
	old := screenAllBeforeWrite
	screenAllBeforeWrite = fn
	return func() { screenAllBeforeWrite = old }
}
