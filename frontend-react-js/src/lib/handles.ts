/**
 * The mock data's handles are display names ("Andrew Brown"); a profile's URL uses the
 * handle as the backend routes it: no spaces, lower case (/@andrewbrown).
 */
export const urlHandle = (handle: string): string => handle.replace(/\s+/g, '').toLowerCase();
