/*
 * popek S-mode kernel (skernel): physical pages and Sv32 address spaces.
 *
 * Kernel map (in every address space; global, A = D = 1): RAM from
 * KERNEL_BASE to its end, one to one, in 4 MiB megapages (RWX); in the
 * fully virtual build also the UART's megapage (RW).  The paravirtual
 * build does not map the UART at all: it never touches a device.  The
 * firmware's first 4 MiB of RAM are not mapped.
 *
 * User map (per task, 4 KiB pages with U = 1), empty when a task starts.
 * A page fault on an address of a user region maps the page:
 *   code   UCODE_BASE..  R X  the shared user image (read-only)
 *   heap   UHEAP_*       R W  a fresh zero-filled page
 *   stack  USTACK_*      R W  a fresh zero-filled page
 *
 * Accessed/dirty bits: the kernel works whether the hart sets A and D
 * itself or raises a page fault when A = 0, or D = 0 on a store (Svade):
 * a fault on a present page whose permissions allow the access sets A
 * (and D for a store).  New code and stack pages get A = 1 (stack pages
 * D = 1 too if the first access is a store); new heap pages get A = D = 0.
 * D is never cleared, so it is set exactly on the pages the task stored
 * to: the exit line counts them.
 */
#include "kernel.h"

extern char __user_start[], __user_end[], __user_phys[];

static uint32_t *kroot;           /* the kernel's page table */

/* ---- physical pages ---- */

#include "../common/page_pool.c"

/* ---- the kernel map ---- */

static void map_mega(uint32_t va, uint32_t perm) {
  kroot[va >> 22] = PTE_PPN(va) | perm | PTE_G | PTE_A | PTE_D | PTE_V;
}

uint32_t vm_kernel_satp(void) { return SATP_SV32 | ((uint32_t)kroot >> 12); }

void vm_init(void) {
  pool_init(POOL_BASE);
  kroot = page_alloc();
  for (uint32_t va = KERNEL_BASE; va < RAM_END; va += MEGAPAGE_SIZE) map_mega(va, PTE_R | PTE_W | PTE_X);
#ifndef PARAVIRT
  map_mega(UART_BASE & ~(MEGAPAGE_SIZE - 1), PTE_R | PTE_W);
#endif
  csr_write(satp, vm_kernel_satp());
  tlb_flush_all();
}

int vm_new_space(struct task *t) {
  t->root = page_alloc();
  if (t->root == 0) return -1;
  for (uint32_t i = 0; i < 1024; i++) t->root[i] = kroot[i];
  t->satp = SATP_SV32 | ((uint32_t)t->root >> 12);
  t->npages = 0;
  return 0;
}

/* ---- user regions ---- */

enum region { R_NONE, R_CODE, R_HEAP, R_STACK };

static enum region region_of(uint32_t va, uint32_t *perm) {
  if (va >= UCODE_BASE && va < (uint32_t)__user_end) { *perm = PTE_R | PTE_X; return R_CODE; }
  if (va >= UHEAP_BASE && va < UHEAP_END) { *perm = PTE_R | PTE_W; return R_HEAP; }
  if (va >= USTACK_BASE && va - USTACK_BASE < USTACK_TOP - USTACK_BASE) { *perm = PTE_R | PTE_W; return R_STACK; }
  return R_NONE;
}

static const uint32_t acc_perm[3] = { [ACC_X] = PTE_X, [ACC_R] = PTE_R, [ACC_W] = PTE_W };

/* The level-0 PTE of va, allocating the level-0 table if `alloc`; 0 if none. */
static uint32_t *pte_of(uint32_t *root, uint32_t va, int alloc) {
  uint32_t *l1 = &root[va >> 22];
  if ((*l1 & PTE_V) == 0) {
    if (!alloc) return 0;
    uint32_t *table = page_alloc();
    if (table == 0) return 0;
    *l1 = PTE_PPN(table) | PTE_V;      /* non-leaf: A, D, U stay 0 */
  } else if ((*l1 & (PTE_R | PTE_W | PTE_X)) != 0) {
    return 0;                          /* a megapage of the kernel map */
  }
  return (uint32_t *)PTE_PA(*l1) + ((va >> 12) & 0x3ff);
}

/* A page fault of task t at va (or an access the kernel makes on t's
 * behalf): map the page, or complete its A/D bits. */
enum fault_result vm_fault(struct task *t, uint32_t va, enum access acc) {
  uint32_t perm;
  enum region kind = region_of(va, &perm);
  if (kind == R_NONE) return FAULT_SEGV;
  if ((perm & acc_perm[acc]) == 0) return FAULT_PROT;
  uint32_t *pte = pte_of(t->root, va, 1);
  if (pte == 0) return FAULT_NOMEM;
  uint32_t e = *pte;
  if ((e & PTE_V) == 0) {
    if (t->npages >= MAX_UPAGES) return FAULT_NOMEM;
    uint32_t pa;
    if (kind == R_CODE) {
      pa = (uint32_t)__user_phys + ((va & ~(PAGE_SIZE - 1)) - UCODE_BASE);
      e = PTE_A;
    } else {
      void *p = page_alloc();
      if (p == 0) return FAULT_NOMEM;
      pa = (uint32_t)p;
      e = kind == R_STACK ? PTE_A | (acc == ACC_W ? PTE_D : 0) : 0;
    }
    e |= PTE_PPN(pa) | perm | PTE_U | PTE_V;
    t->ptes[t->npages++] = pte;
  } else {
    if ((e & acc_perm[acc]) == 0) return FAULT_PROT;
    e |= PTE_A | (acc == ACC_W ? PTE_D : 0);   /* an A/D fault (or an access by the kernel) */
  }
  *pte = e;
  tlb_flush_page(va);
  return FAULT_OK;
}

/* The physical address of user va, for an access by the kernel on behalf
 * of task t (mapping the page as the task's own access would); 0 = bad. */
uint32_t vm_user_pa(struct task *t, uint32_t va, enum access acc) {
  uint32_t *pte = pte_of(t->root, va, 0);
  uint32_t need = PTE_V | PTE_U | PTE_A | acc_perm[acc] | (acc == ACC_W ? PTE_D : 0);
  if (pte == 0 || (*pte & need) != need) {
    if (vm_fault(t, va, acc) != FAULT_OK) return 0;
    pte = pte_of(t->root, va, 0);
  }
  return PTE_PA(*pte) | (va & (PAGE_SIZE - 1));
}

uint32_t vm_count_dirty(struct task *t) {
  uint32_t n = 0;
  for (uint32_t i = 0; i < t->npages; i++) n += (*t->ptes[i] & PTE_D) != 0;
  return n;
}

/* Free t's pages and tables (after switching to the kernel's table). */
void vm_destroy(struct task *t) {
  csr_write(satp, vm_kernel_satp());
  tlb_flush_all();
  uint32_t code_lo = (uint32_t)__user_phys;
  uint32_t code_hi = code_lo + (uint32_t)(__user_end - __user_start);
  for (uint32_t i = 0; i < t->npages; i++) {
    uint32_t pa = PTE_PA(*t->ptes[i]);
    if (pa < code_lo || pa >= code_hi) page_free((void *)pa);
  }
  for (uint32_t i = 0; i < 1024; i++) {
    uint32_t e = t->root[i];
    if ((e & PTE_V) != 0 && (e & (PTE_R | PTE_W | PTE_X)) == 0) page_free((void *)PTE_PA(e));
  }
  page_free(t->root);
  t->root = 0;
  t->npages = 0;
}
