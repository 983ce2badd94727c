/*
 * popek kernel guest: physical pages and Sv32 address spaces.
 *
 * Kernel map (in every address space, global, A = D = 1): 4 MiB megapages
 * mapping the 128 MiB of RAM (RWX) and the UART and test finisher (RW)
 * one-to-one.  The kernel reaches every physical page through it.
 *
 * User map (per task, 4 KiB pages, U = 1): nothing is mapped when a task
 * starts.  A page fault on an address of a user region maps the page:
 *   code   UCODE_BASE..  R X  the shared user image (read-only)
 *   heap   UHEAP_*       R W  a fresh zero-filled page
 *   stack  USTACK_*      R W  a fresh zero-filled page
 *
 * Accessed/dirty bits.  The kernel is correct whether the hart updates A
 * and D itself or raises a page fault when A = 0, or when D = 0 on a store
 * (Svade).  A page fault on a present page whose permissions allow the
 * access is such an A/D fault: the kernel sets A (and D for a store) and
 * returns.  New code pages get A = 1; new stack pages get A = 1, and D = 1
 * when the first access is a store; new heap pages get A = D = 0, so that
 * their first access sets A (and D) by hardware or by an A/D fault.  The
 * kernel also ages pages (clears A) every few timer ticks.  D is never
 * cleared, so D = 1 exactly for the pages the task has stored to (D-bit
 * updates are exact, unlike A-bit updates, which may be speculative):
 * SYS_PAGESTATE reports it and the exit line counts it.
 */
#include "kernel.h"

extern char __free_start[];
extern char __user_start[], __user_end[], __user_phys[];

static uint32_t *kroot;           /* the kernel's page table */

/* ---- physical pages ---- */

#include "../common/page_pool.c"

/* ---- kernel map ---- */

static void map_mega(uint32_t *root, uint32_t va, uint32_t pa, uint32_t perm) {
  root[va >> 22] = PTE_PPN(pa) | perm | PTE_G | PTE_A | PTE_D | PTE_V;
}

uint32_t vm_kernel_satp(void) { return SATP_SV32 | ((uint32_t)kroot >> 12); }

void vm_init(void) {
  pool_init(((uint32_t)__free_start + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1));
  kroot = page_alloc();
  for (uint32_t off = 0; off < RAM_SIZE; off += MEGAPAGE_SIZE)
    map_mega(kroot, RAM_BASE + off, RAM_BASE + off, PTE_R | PTE_W | PTE_X);
  map_mega(kroot, UART_BASE & ~(MEGAPAGE_SIZE - 1), UART_BASE & ~(MEGAPAGE_SIZE - 1), PTE_R | PTE_W);
  map_mega(kroot, FINISHER_BASE & ~(MEGAPAGE_SIZE - 1), FINISHER_BASE & ~(MEGAPAGE_SIZE - 1), PTE_R | PTE_W);
  csr_write(satp, vm_kernel_satp());
  sfence_vma_all();
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

enum region_kind { R_NONE, R_CODE, R_HEAP, R_STACK };

static enum region_kind region_of(uint32_t va, uint32_t *perm) {
  if (va >= UCODE_BASE && va < (uint32_t)__user_end) { *perm = PTE_R | PTE_X; return R_CODE; }
  if (va >= UHEAP_BASE && va < UHEAP_END) { *perm = PTE_R | PTE_W; return R_HEAP; }
  if (va >= USTACK_BASE && va - USTACK_BASE < USTACK_TOP - USTACK_BASE) { *perm = PTE_R | PTE_W; return R_STACK; }
  return R_NONE;
}

static const uint32_t acc_perm[3] = { [ACC_X] = PTE_X, [ACC_R] = PTE_R, [ACC_W] = PTE_W };

/* The level-0 PTE for va, allocating the level-0 table if `alloc` is not
 * null (and then setting *alloc when it did); 0 if none. */
static uint32_t *pte_of(uint32_t *root, uint32_t va, int *alloc) {
  uint32_t *l1 = &root[va >> 22];
  if ((*l1 & PTE_V) == 0) {
    if (alloc == 0) return 0;
    uint32_t *table = page_alloc();
    if (table == 0) return 0;
    *l1 = PTE_PPN(table) | PTE_V;      /* non-leaf: A, D, U must be 0 */
    *alloc = 1;
  } else if ((*l1 & (PTE_R | PTE_W | PTE_X)) != 0) {
    return 0;                          /* a megapage of the kernel map */
  }
  return (uint32_t *)PTE_PA(*l1) + ((va >> 12) & 0x3ff);
}

/*
 * A page fault of task t at va (or an access the kernel makes on t's
 * behalf): map the page, or complete its A/D bits.
 */
enum fault_result vm_fault(struct task *t, uint32_t va, enum access acc) {
  uint32_t perm;
  enum region_kind kind = region_of(va, &perm);
  if (kind == R_NONE) return FAULT_SEGV;
  if ((perm & acc_perm[acc]) == 0) return FAULT_PROT;
  int new_table = 0;
  uint32_t *pte = pte_of(t->root, va, &new_table);
  if (pte == 0) return FAULT_NOMEM;
  uint32_t e = *pte;
  if ((e & PTE_V) == 0) {
    /* demand paging */
    if (t->npages >= MAX_UPAGES) return FAULT_NOMEM;
    uint32_t page = va & ~(PAGE_SIZE - 1);
    uint32_t pa;
    if (kind == R_CODE) {
      pa = (uint32_t)__user_phys + (page - UCODE_BASE);
      e = PTE_A;
    } else {
      void *p = page_alloc();
      if (p == 0) return FAULT_NOMEM;
      pa = (uint32_t)p;
      e = kind == R_STACK ? (PTE_A | (acc == ACC_W ? PTE_D : 0)) : 0;
    }
    e |= PTE_PPN(pa) | perm | PTE_U | PTE_V;
    t->ptes[t->npages++] = pte;
  } else {
    /* present: an A/D fault (Svade), or an access made by the kernel */
    if ((e & acc_perm[acc]) == 0) return FAULT_PROT;
    uint32_t need = PTE_A | (acc == ACC_W ? PTE_D : 0);
    if ((e & need) != need) {
      e |= need;
      t->ad_faults++;
    } else {
      t->spurious_faults++;
    }
  }
  *pte = e;
  /* A changed non-leaf PTE needs SFENCE.VMA with rs1 = x0, a changed leaf
   * one only the address (privileged spec, "Supervisor Memory-Management
   * Fence Instruction"). */
  if (new_table) sfence_vma_all(); else sfence_vma_va(va);
  return FAULT_OK;
}

/* The physical address of user va for an access by the kernel on behalf of
 * task t (mapping the page as the task's own access would); 0 = bad address. */
uint32_t vm_user_pa(struct task *t, uint32_t va, enum access acc) {
  uint32_t *pte = pte_of(t->root, va, 0);
  uint32_t need = acc_perm[acc] | PTE_A | (acc == ACC_W ? PTE_D : 0);
  if (pte == 0 || (*pte & (PTE_V | PTE_U | need)) != (PTE_V | PTE_U | need)) {
    if (vm_fault(t, va, acc) != FAULT_OK) return 0;
    pte = pte_of(t->root, va, 0);
  }
  return PTE_PA(*pte) | (va & (PAGE_SIZE - 1));
}

/* 0 = not mapped, 1 = mapped and clean, 3 = mapped and dirty; -1 = not a user address. */
int vm_pagestate(struct task *t, uint32_t va) {
  uint32_t perm;
  if (region_of(va, &perm) == R_NONE) return -1;
  uint32_t *pte = pte_of(t->root, va, 0);
  if (pte == 0 || (*pte & PTE_V) == 0) return 0;
  return (*pte & PTE_D) != 0 ? 3 : 1;
}

/* Clear the A bit of every page of t (page aging); D is kept. */
void vm_age(struct task *t) {
  for (uint32_t i = 0; i < t->npages; i++) *t->ptes[i] &= ~PTE_A;
  sfence_vma_all();
}

uint32_t vm_count_dirty(struct task *t) {
  uint32_t n = 0;
  for (uint32_t i = 0; i < t->npages; i++) n += (*t->ptes[i] & PTE_D) != 0;
  return n;
}

/* Free t's pages and tables; runs on the kernel's page table. */
void vm_destroy(struct task *t) {
  csr_write(satp, vm_kernel_satp());
  sfence_vma_all();
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
