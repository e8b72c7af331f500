package actors

import "errors"

// Resume starts every group reopened from the bank (held) again, after a
// warm boot or a site restart, or when the operator leaves safe mode: each
// one's direct actors run with new aids and the next generation, and they
// re-spawn their indirect actors. Groups that were killed are not among
// them (New finished their kill). It returns how many groups it started; a
// group none of whose direct actors could start (e.g. its program is no
// longer in the image) stays registered and is reported in the error.
func (c *Controller) Resume() (int, error) {
	n := 0
	err := c.locked(func(p *post) error {
		if c.closing {
			return ErrShutdown
		}
		var errs []error
		for _, g := range c.groups {
			if g == nil || g.state != GroupHeld {
				continue
			}
			started, gerrs := c.startGroupLocked(g, p)
			errs = append(errs, gerrs...)
			if started > 0 {
				n++
			}
		}
		return errors.Join(errs...)
	})
	return n, err
}
