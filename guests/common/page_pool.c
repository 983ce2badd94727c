/*
 * The physical page pool of both guest kernels (guests/kernel, guests/skernel):
 * pages below POOL_END handed out zero-filled, freed pages kept on a list
 * threaded through their first word. Each kernel's vm.c includes this file
 * once (after its kernel.h, which defines POOL_END and PAGE_SIZE) and calls
 * pool_init with the first page of its pool.
 */

static uint32_t free_list;        /* physical address of the first free page, 0 = none */
static uint32_t pool_next;        /* the next never-used page */
static uint32_t free_count;

static void pool_init(uint32_t first) {
  pool_next = first;
  free_count = (POOL_END - first) / PAGE_SIZE;
}

static void *page_alloc(void) {
  uint32_t pa;
  if (free_list != 0) {
    pa = free_list;
    free_list = *(uint32_t *)pa;
  } else if (pool_next < POOL_END) {
    pa = pool_next;
    pool_next += PAGE_SIZE;
  } else {
    return 0;
  }
  free_count--;
  memset((void *)pa, 0, PAGE_SIZE);
  return (void *)pa;
}

static void page_free(void *p) {
  *(uint32_t *)p = free_list;
  free_list = (uint32_t)p;
  free_count++;
}

uint32_t vm_free_pages(void) { return free_count; }
