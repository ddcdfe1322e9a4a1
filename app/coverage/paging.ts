// Rows per page in coverage lists; shared by loaders and the pager.
export const PAGE_SIZE = 50;
