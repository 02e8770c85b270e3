/** Value shapes more than one config parser checks. */

/** A lowercase DNS name with at least two labels and an alphabetic top-level label. */
export const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
