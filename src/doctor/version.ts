// The doctor's own version, printed in the report header and sent with uploads.
export const DOCTOR_VERSION = '0.1.0'
